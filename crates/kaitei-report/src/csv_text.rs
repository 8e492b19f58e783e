//! CSV as the ministry's staff open it: UTF-8 with a byte-order mark (so
//! that Excel reads the Japanese right), CRLF, RFC 4180 quoting, and no
//! field that a spreadsheet would run as a formula. Written by hand: the
//! quoting is a few lines, not worth a dependency.

/// The byte-order mark a file starts with.
pub(crate) const BOM: &str = "\u{feff}";

/// Appends one row of `fields` to `out`.
pub(crate) fn row<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        // A field that could start a formula in a spreadsheet is quoted
        // and prefixed, so that opening the export runs nothing.
        let f = if f.starts_with(['=', '+', '-', '@']) {
            format!("'{f}")
        } else {
            f.to_string()
        };
        if f.contains([',', '"', '\n', '\r']) || f.starts_with('\'') {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&f);
        }
    }
    out.push_str("\r\n");
}
