//! kaitei-format
