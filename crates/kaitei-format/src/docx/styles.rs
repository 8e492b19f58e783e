//! Paragraph styles (`word/styles.xml`): which are headings, the title and
//! quotes, in English or Japanese names, or by outline level.

use std::collections::HashMap;

use quick_xml::events::Event;

use super::xml::{XmlError, attr, events};

/// One style as read.
#[derive(Debug, Clone, Default)]
struct Style {
    /// The role its name gives it, if any.
    named: Option<Role>,
    based_on: Option<Parent>,
    outline_level: Option<u8>,
}

/// The style a style is based on.
#[derive(Debug, Clone)]
enum Parent {
    /// `w:basedOn` as read; replaced by one of the others after reading.
    Id(String),
    /// A defined style: an index into [`Styles::styles`].
    Defined(usize),
    /// An id with no definition, and the role the id itself gives.
    Undefined(Option<Role>),
}

/// What a paragraph style means to kaitei.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The document title.
    Title,
    /// A heading of level 1–6.
    Heading(u8),
    /// Commentary.
    Quote,
    /// Anything else.
    Body,
}

/// The styles of a document.
///
/// Names are judged and `basedOn` ids linked once, after reading: doing it
/// again for every paragraph let one huge style name (or id) be lowercased
/// or hashed once per paragraph (a 1,000,000-character name × 5,000
/// paragraphs took 90 s in a debug build).
#[derive(Debug, Default)]
pub struct Styles {
    /// Style id → index into `styles`.
    ids: HashMap<String, usize>,
    styles: Vec<Style>,
}

fn heading_number(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    let rest = lower
        .strip_prefix("heading")
        .or_else(|| lower.strip_prefix("見出し"))?;
    let n: u8 = rest.trim().parse().ok()?;
    (1..=9).contains(&n).then_some(n.min(6))
}

fn role_by_name(name: &str) -> Option<Role> {
    let lower = name.to_lowercase();
    match lower.as_str() {
        "title" | "表題" => Some(Role::Title),
        "quote" | "intense quote" | "quotations" | "引用文" | "引用文 2" | "引用文2" => {
            Some(Role::Quote)
        }
        _ => heading_number(name).map(Role::Heading),
    }
}

impl Styles {
    /// Reads `styles.xml`.
    pub fn parse(xml: &str) -> Result<Styles, XmlError> {
        let mut read: Vec<(String, Style)> = Vec::new();
        let mut current: Option<(String, Style)> = None;
        events(xml, |event| match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"w:style" => {
                    current = attr(&e, b"w:styleId").map(|id| (id, Style::default()));
                }
                b"w:name" => {
                    if let (Some((_, s)), Some(v)) = (current.as_mut(), attr(&e, b"w:val")) {
                        s.named = role_by_name(&v);
                    }
                }
                b"w:basedOn" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.based_on = attr(&e, b"w:val").map(Parent::Id);
                    }
                }
                b"w:outlineLvl" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.outline_level = attr(&e, b"w:val").and_then(|v| v.parse().ok());
                    }
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == b"w:style" => {
                read.extend(current.take());
            }
            _ => {}
        })?;
        // A later definition of an id replaces an earlier one.
        let mut ids = HashMap::new();
        let mut styles = Vec::new();
        for (id, style) in read {
            match ids.get(&id) {
                Some(&i) => styles[i] = style,
                None => {
                    ids.insert(id, styles.len());
                    styles.push(style);
                }
            }
        }
        for style in &mut styles {
            if let Some(Parent::Id(id)) = &style.based_on {
                style.based_on = Some(match ids.get(id) {
                    Some(&i) => Parent::Defined(i),
                    None => Parent::Undefined(role_by_name(id)),
                });
            }
        }
        Ok(Styles { ids, styles })
    }

    /// The role of paragraphs in style `id`, following `basedOn` for an
    /// outline level; `outline` is the paragraph's own outline level.
    pub fn role(&self, id: Option<&str>, outline: Option<u8>) -> Role {
        let mut level = outline;
        let mut current = match id.map(|sid| (sid, self.ids.get(sid))) {
            Some((_, Some(&i))) => Some(i),
            // A style id with no definition: judge by the id itself.
            Some((sid, None)) => match role_by_name(sid) {
                Some(r) => return r,
                None => None,
            },
            None => None,
        };
        for _ in 0..16 {
            let Some(i) = current else { break };
            let s = &self.styles[i];
            if let Some(r) = s.named {
                return r;
            }
            level = level.or(s.outline_level);
            current = match &s.based_on {
                Some(Parent::Defined(j)) => Some(*j),
                Some(Parent::Undefined(Some(r))) => return *r,
                Some(Parent::Undefined(None) | Parent::Id(_)) | None => None,
            };
        }
        match level {
            // Level 9 means "body text" in Word.
            Some(l) if l < 9 => Role::Heading((l + 1).min(6)),
            _ => Role::Body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_by_name_id_and_outline_level() {
        let xml = r#"<w:styles xmlns:w="x">
          <w:style w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>
          <w:style w:styleId="a1"><w:name w:val="見出し 3"/></w:style>
          <w:style w:styleId="a2"><w:name w:val="表題"/></w:style>
          <w:style w:styleId="a3"><w:name w:val="引用文"/></w:style>
          <w:style w:styleId="Mine"><w:name w:val="章見出し"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
          <w:style w:styleId="Child"><w:name w:val="子"/><w:basedOn w:val="Mine"/></w:style>
          <w:style w:styleId="Body"><w:name w:val="Normal"/></w:style>
        </w:styles>"#;
        let s = Styles::parse(xml).unwrap();
        assert_eq!(s.role(Some("Heading2"), None), Role::Heading(2));
        assert_eq!(s.role(Some("a1"), None), Role::Heading(3));
        assert_eq!(s.role(Some("a2"), None), Role::Title);
        assert_eq!(s.role(Some("a3"), None), Role::Quote);
        assert_eq!(s.role(Some("Mine"), None), Role::Heading(1));
        assert_eq!(s.role(Some("Child"), None), Role::Heading(1));
        assert_eq!(s.role(Some("Body"), None), Role::Body);
        assert_eq!(s.role(Some("Body"), Some(1)), Role::Heading(2));
        assert_eq!(s.role(Some("Title"), None), Role::Title, "undefined id");
        assert_eq!(s.role(None, None), Role::Body);
    }
}
