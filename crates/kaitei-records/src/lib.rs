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
//! Topic ① — data linkage without removable media: the ministry's
//! catalogue of patterns with their threat scenarios and controls
//! ([`linkage`]), and its risk matrix ([`risk_matrix`]); a body's uses
//! and ratings, its heat map and
//! the national picture ([`linkage_ratings`]), and the workbook the
//! ministry presents ([`linkage_xlsx`]).
//!
//! The self-assessment against the edition a body follows: its checklist
//! from the policy's provenance, scores per chapter, and answers carried
//! over to a later year by key ([`assessment`]).
//!
//! ```
//! use kaitei_records::{rules, xlsx};
//! let template = xlsx::template().unwrap();
//! let rows = xlsx::read(&template).unwrap();
//! assert!(rules::check(&rows, &rules::RuleTable::default()).is_empty());
//! ```

#![deny(missing_docs)]

pub mod assessment;
pub mod linkage;
pub mod linkage_ratings;
pub mod linkage_xlsx;
pub mod organs;
pub mod register;
pub mod risk_matrix;
pub mod rules;
pub mod xlsx;
