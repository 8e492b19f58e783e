//! Synthetic revision pairs (to be written).
