use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Location,
    Product,
    Concept,
    Event,
    Other,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Organization => "organization",
            Self::Location => "location",
            Self::Product => "product",
            Self::Concept => "concept",
            Self::Event => "event",
            Self::Other => "other",
        }
    }

    /// Reads a kind as models spell it ("organisation", "geo", "company", ...); anything
    /// unrecognised is `Other` rather than an error, since the kind only guides display.
    pub fn parse_lenient(label: &str) -> Self {
        match label.trim().to_ascii_lowercase().as_str() {
            "person" | "people" | "individual" => Self::Person,
            "organization" | "organisation" | "org" | "company" | "institution" | "agency" => {
                Self::Organization
            }
            "location" | "geo" | "place" | "country" | "city" | "region" => Self::Location,
            "product" | "technology" | "software" | "tool" => Self::Product,
            "concept" | "topic" | "idea" | "method" => Self::Concept,
            "event" => Self::Event,
            _ => Self::Other,
        }
    }
}
