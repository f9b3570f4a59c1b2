//! A fix-up of the derived schemas. A type that refuses unknown fields (`deny_unknown_fields`)
//! gets `additionalProperties: false`, right for a request body; but a response type that
//! flattens it in becomes `allOf` of that closed schema and its own fields, which no object can
//! match (each part forbids the other's properties). In an `allOf` the part is used open.

use utoipa::openapi::schema::{AdditionalProperties, Schema};
use utoipa::openapi::{OpenApi, RefOr};

pub fn open_flattened_parts(doc: &mut OpenApi) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    let schemas = components.schemas.clone();
    let closed = |item: &RefOr<Schema>| -> Option<Schema> {
        let RefOr::Ref(r) = item else { return None };
        let name = r.ref_location.strip_prefix("#/components/schemas/")?;
        match schemas.get(name)? {
            RefOr::T(Schema::Object(object))
                if matches!(
                    object.additional_properties.as_deref(),
                    Some(AdditionalProperties::FreeForm(false))
                ) =>
            {
                let mut open = object.clone();
                open.additional_properties = None;
                Some(Schema::Object(open))
            }
            _ => None,
        }
    };
    for schema in components.schemas.values_mut() {
        if let RefOr::T(Schema::AllOf(all)) = schema {
            for item in &mut all.items {
                if let Some(open) = closed(item) {
                    *item = RefOr::T(open);
                }
            }
        }
    }
}
