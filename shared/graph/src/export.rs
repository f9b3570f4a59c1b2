//! Subgraph exports: JSON nodes and edges for the API, GraphML for graph tools (Gephi,
//! yEd, NetworkX).

use std::borrow::Cow;
use std::io;

use foldhash::HashSet;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use serde_json::{Value, json};

use crate::query::Subgraph;

impl Subgraph<'_> {
    /// `{"nodes": [...], "edges": [...]}`; edges carry their evidence chunk ids.
    pub fn to_json(&self) -> Value {
        let nodes: Vec<Value> = self
            .entities
            .iter()
            .map(|e| {
                json!({
                    "id": e.id,
                    "name": e.name,
                    "kind": e.kind,
                    "aliases": e.aliases,
                    "description": e.description,
                    "mention_count": e.mention_count,
                    "document_count": e.document_ids.len(),
                })
            })
            .collect();
        let edges: Vec<Value> = self
            .relations
            .iter()
            .map(|r| {
                json!({
                    "source": r.source,
                    "target": r.target,
                    "weight": r.weight,
                    "descriptions": r.descriptions,
                    "chunk_ids": r.chunk_ids,
                })
            })
            .collect();
        json!({ "nodes": nodes, "edges": edges })
    }

    /// A GraphML document with node keys `name`, `kind`, `mention_count`, `description` and
    /// edge keys `weight`, `description`. Edges whose ends are not in the subgraph are left
    /// out, as GraphML requires.
    pub fn to_graphml(&self) -> String {
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
        self.write_graphml(&mut writer)
            .expect("writing to memory does not fail");
        String::from_utf8(writer.into_inner()).expect("the writer writes UTF-8 given UTF-8")
    }

    fn write_graphml(&self, w: &mut Writer<Vec<u8>>) -> io::Result<()> {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("graphml")
            .with_attribute(("xmlns", "http://graphml.graphdrawing.org/xmlns"))
            .write_inner_content(|w| {
                for (id, domain, name, kind) in [
                    ("name", "node", "name", "string"),
                    ("kind", "node", "kind", "string"),
                    ("mention_count", "node", "mention_count", "int"),
                    ("description", "node", "description", "string"),
                    ("weight", "edge", "weight", "double"),
                    ("edge_description", "edge", "description", "string"),
                ] {
                    w.create_element("key")
                        .with_attribute(("id", id))
                        .with_attribute(("for", domain))
                        .with_attribute(("attr.name", name))
                        .with_attribute(("attr.type", kind))
                        .write_empty()?;
                }
                w.create_element("graph")
                    .with_attribute(("id", "G"))
                    .with_attribute(("edgedefault", "undirected"))
                    .write_inner_content(|w| self.write_elements(w))?;
                Ok(())
            })?;
        Ok(())
    }

    fn write_elements(&self, w: &mut Writer<Vec<u8>>) -> io::Result<()> {
        for e in &self.entities {
            let count = e.mention_count.to_string();
            w.create_element("node")
                .with_attribute(("id", xml_safe(&e.id).as_ref()))
                .write_inner_content(|w| {
                    data(w, "name", &e.name)?;
                    data(w, "kind", e.kind.as_str())?;
                    data(w, "mention_count", &count)?;
                    data(w, "description", &e.description)
                })?;
        }
        let present: HashSet<&str> = self.entities.iter().map(|e| e.id.as_str()).collect();
        for (i, r) in self.relations.iter().enumerate() {
            if !present.contains(r.source.as_str()) || !present.contains(r.target.as_str()) {
                continue;
            }
            let id = format!("e{i}");
            let weight = r.weight.to_string();
            let description = r.descriptions.join("; ");
            w.create_element("edge")
                .with_attribute(("id", id.as_str()))
                .with_attribute(("source", xml_safe(&r.source).as_ref()))
                .with_attribute(("target", xml_safe(&r.target).as_ref()))
                .write_inner_content(|w| {
                    data(w, "weight", &weight)?;
                    data(w, "edge_description", &description)
                })?;
        }
        Ok(())
    }
}

fn data(w: &mut Writer<Vec<u8>>, key: &str, value: &str) -> io::Result<()> {
    w.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(&xml_safe(value)))?;
    Ok(())
}

/// The text without the control characters XML 1.0 cannot carry even escaped; the writer
/// escapes markup characters.
fn xml_safe(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r');
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}
