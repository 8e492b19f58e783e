//! What the writers' tests share: reading a part of a zipped package
//! (DOCX, XLSX) back, and checking every part is well-formed XML.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

/// The part `name` of the package `bytes`, as text.
pub(crate) fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut s = String::new();
    zip.by_name(name)
        .expect(name)
        .read_to_string(&mut s)
        .expect("UTF-8");
    s
}

/// The names of the package's parts.
pub(crate) fn part_names(bytes: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    zip.file_names().map(str::to_string).collect()
}

/// Panics unless every part of the package parses as XML, end tags
/// checked.
pub(crate) fn assert_parts_well_formed(bytes: &[u8]) {
    for name in part_names(bytes) {
        let xml = part(bytes, &name);
        let mut reader = Reader::from_str(&xml);
        reader.config_mut().check_end_names = true;
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}"),
            }
        }
    }
}
