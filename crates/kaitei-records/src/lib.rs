//! Records of this year's revision topics, pure values (no I/O: bytes in,
//! bytes out).
//!
//! Topic ② — equipment disposal and data erasure: the register of
//! storage-bearing equipment ([`register`]), its rules and their checks
//! ([`rules`]: `no-erasure-record`, `method-too-weak`, `no-witness`,
//! `no-certificate`, `invalid`) against a rule table, and the register as a
//! workbook ([`xlsx`]: the template with its value lists, reading, writing).
//!
//! Topic ③ — the Local Autonomy Act's cybersecurity policy: each executive
//! organ's status and the national counts ([`organs`]).
//!
//! ```
//! use kaitei_records::{rules, xlsx};
//! let template = xlsx::template().unwrap();
//! let rows = xlsx::read(&template).unwrap();
//! assert!(rules::check(&rows, &rules::RuleTable::default()).is_empty());
//! ```

#![deny(missing_docs)]

pub mod organs;
pub mod register;
pub mod rules;
pub mod xlsx;
