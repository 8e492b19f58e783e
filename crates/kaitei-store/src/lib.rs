//! kaitei-store
