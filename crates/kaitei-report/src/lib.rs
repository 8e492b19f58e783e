//! kaitei's reports: what the comparison engine and the application work
//! out, written for people and other programs.
//!
//! - [`table`]: the comparison table (新旧対照表) as JSON (the contract of
//!   `CONTRACTS.md`), text for terminals, HTML, DOCX and XLSX.
//! - [`consultation_template`]: the Excel answer template of a
//!   consultation (意見照会 回答様式).
//! - [`impact`]: the impact of a new edition on bodies' policies as text,
//!   JSON and XLSX.
//! - [`consultation_status`]: who has not answered a consultation yet
//!   (XLSX).
//! - [`national_status`]: the ministry's national picture, by
//!   prefecture (XLSX and CSV).
//! - [`prefecture_status`]: a prefecture's municipalities against the
//!   latest edition, as its page shows them (XLSX).
//! - [`response_table`]: a consultation's response table (意見と対応:
//!   every comment or cluster, its respondents, disposition and reason)
//!   as XLSX, DOCX and HTML, published with the new edition. Its DOCX
//!   is built from the same parts as the 新旧対照表's (package, styles,
//!   fonts, page set-up), its XLSX with the same helpers.
//!
//! Architecture invariant: no file or network I/O here — writers take
//! values and return bytes or text (or write to a `std::io::Write` given).

#![deny(missing_docs)]

pub mod audit_trail;
pub mod consultation_status;
pub mod consultation_template;
mod csv_text;
pub mod impact;
mod list_sheet;
pub mod national_status;
pub mod prefecture_status;
pub mod response_table;
pub mod table;

#[cfg(test)]
mod testing;
