//! kaitei's document model: pure values, no I/O.
//!
//! A [`Document`] (a guideline edition, a draft, or a body's policy) is a
//! tree of [`Node`]s. Each node has a [`Label`] — the number as written, with
//! its parsed style and value — a stable [`Key`] that survives renumbering,
//! an optional title, its text and commentary paragraph by paragraph, and
//! children. Labels are never body text, so renumbering is never a text
//! change.
//!
//! ```
//! use kaitei_model::{Label, LabelContext, LabelStyle};
//!
//! let a = Label::parse("（1）", LabelContext::Item).unwrap();
//! let b = Label::parse("⑴", LabelContext::Item).unwrap();
//! assert_eq!(a, b); // width variants and ⑴ are the same label
//! assert_eq!(a.style(), LabelStyle::ParenArabic);
//! let circled = Label::parse("①", LabelContext::Item).unwrap();
//! assert_ne!(a, circled); // ① is a style of its own
//! ```
//!
//! Architecture invariant: this crate knows nothing about files, databases,
//! serde, Word or HTTP. Readers and writers live in `kaitei-format`.

#![deny(missing_docs)]

pub mod audit;
pub mod body;
pub mod consultation;
pub mod cycle;
pub mod date;
pub mod decision;
pub mod disposition;
pub mod document;
pub mod draft;
pub mod label;
pub mod law;
pub mod names;
pub mod numeral;
pub mod text;
pub mod time;

pub use body::{
    Body, BodyCode, BodyCodeError, BodyKind, Registry, TitleBody, parse_body_code, registry,
};
pub use decision::{Decision, DecisionKind};
pub use document::{
    Amendment, Conflict, Date, Document, DocumentKind, FlatNodes, Key, Located, Metadata,
    NAME_MAX_CHARS, Node, NodeKind, Omission, Status, assemble_tree, clause_name,
};
pub use label::{
    Label, LabelContext, LabelStyle, after_label, article_at, heading_rank_at, label_style_at,
    split_label,
};
pub use law::{ArticleRange, Contents, ContentsEntry};
pub use names::{EditionName, EditionNameError, MAX_EDITION_NAME};
pub use time::JstTime;
