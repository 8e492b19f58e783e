//! kaitei server (being written)
