//! OpenAPI links from each create to the operations on what it created, derived from the paths
//! so a new resource gets them without anyone writing them: a `POST P` whose success body holds
//! an `id` links to every operation under `P/{param}`, passing that id as `param` and the
//! create's own path parameters as they were. Clients (and the contract fuzzer's stateful runs) follow
//! them to read, update and delete real resources.

use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi, RefOr};

pub fn add(doc: &mut OpenApi) {
    let mut found = Vec::new();
    for (path, item) in &doc.paths.paths {
        let Some(create) = &item.post else { continue };
        for (status, response) in &create.responses.responses {
            let RefOr::T(response) = response else {
                continue;
            };
            if !status.starts_with('2') {
                continue;
            }
            let id = response.content.values().find_map(|content| match content {
                RefOr::T(content) => id_pointer(doc, content.schema.as_ref()?),
                RefOr::Ref(_) => None,
            });
            if let Some(id) = id {
                found.push((path.clone(), status.clone(), id));
            }
        }
    }
    for (create, status, id) in found {
        let links = targets(doc, &create, &id);
        let Some(response) = doc
            .paths
            .paths
            .get_mut(&create)
            .and_then(|item| item.post.as_mut())
            .and_then(|op| op.responses.responses.get_mut(&status))
        else {
            continue;
        };
        if let RefOr::T(response) = response {
            for (name, link) in links {
                response.links.insert(name, link.into());
            }
        }
    }
}

/// The links from `POST create`, named by their target's operation id.
fn targets(doc: &OpenApi, create: &str, id: &str) -> Vec<(String, utoipa::openapi::link::Link)> {
    let inherited: Vec<&str> = path_params(create).collect();
    let mut links = Vec::new();
    for (path, item) in &doc.paths.paths {
        let Some(param) = path
            .strip_prefix(create)
            .and_then(|rest| rest.strip_prefix("/{"))
            .and_then(|rest| rest.split('/').next())
            .and_then(|segment| segment.strip_suffix('}'))
        else {
            continue;
        };
        for op in operations(item) {
            let Some(operation) = op.operation_id.clone() else {
                continue;
            };
            let mut link = LinkBuilder::new()
                .operation_id(&operation)
                .parameter(param, format!("$response.body#{id}"));
            for name in &inherited {
                link = link.parameter(*name, format!("$request.path.{name}"));
            }
            links.push((operation, link.build()));
        }
    }
    links
}

fn operations(
    item: &utoipa::openapi::path::PathItem,
) -> impl Iterator<Item = &utoipa::openapi::path::Operation> {
    [&item.get, &item.put, &item.post, &item.patch, &item.delete]
        .into_iter()
        .flatten()
}

fn path_params(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
}

/// Where the created resource's id is in a response of `schema`: `/id`, or `/<member>/id` where
/// the body wraps the resource with something shown once (an API key's or webhook's secret).
fn id_pointer(doc: &OpenApi, schema: &RefOr<Schema>) -> Option<String> {
    match resolve(doc, schema)? {
        Schema::Object(object) if object.properties.contains_key("id") => Some("/id".into()),
        Schema::Object(object) => {
            object
                .properties
                .iter()
                .find_map(|(name, member)| match resolve(doc, member)? {
                    Schema::Object(inner) if inner.properties.contains_key("id") => {
                        Some(format!("/{name}/id"))
                    }
                    _ => None,
                })
        }
        Schema::AllOf(all) => all.items.iter().find_map(|item| match resolve(doc, item)? {
            Schema::Object(object) if object.properties.contains_key("id") => Some("/id".into()),
            _ => None,
        }),
        _ => None,
    }
}

fn resolve<'a>(doc: &'a OpenApi, schema: &'a RefOr<Schema>) -> Option<&'a Schema> {
    match schema {
        RefOr::T(schema) => Some(schema),
        RefOr::Ref(r) => match r
            .ref_location
            .strip_prefix("#/components/schemas/")
            .and_then(|name| doc.components.as_ref()?.schemas.get(name))?
        {
            RefOr::T(schema) => Some(schema),
            RefOr::Ref(_) => None,
        },
    }
}
