//! A thin layer over quick-xml for the parts of OOXML kaitei reads.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, BytesText, Event};

/// Malformed XML, with the byte position where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    /// What quick-xml said.
    pub message: String,
    /// Byte offset into the part.
    pub position: u64,
}

/// Calls `f` for every event of `xml` until the end; stops at the first
/// syntax error.
pub fn events<'a>(xml: &'a str, mut f: impl FnMut(Event<'a>)) -> Result<(), XmlError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return Ok(()),
            Ok(e) => f(e),
            Err(e) => {
                return Err(XmlError {
                    message: e.to_string(),
                    position: reader.error_position(),
                });
            }
        }
    }
}

/// The unescaped value of attribute `name`.
pub fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| match a.unescape_value() {
            Ok(v) => v.into_owned(),
            Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
        })
}

/// The unescaped text of a text event.
pub fn text(t: &BytesText<'_>) -> String {
    match t.unescape() {
        Ok(s) => s.into_owned(),
        Err(_) => String::from_utf8_lossy(t).into_owned(),
    }
}
