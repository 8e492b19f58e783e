//! The text readers: the authoring format (`authoring::parse`, for text
//! that starts with front matter) and pasted 例規集 text, both through
//! `read_text`. Oracle (`kaitei_fuzz::text`): no panic, hang or memory
//! blow-up; every diagnostic says something; an error-free document
//! round-trips through the printer (as the mutation tests require).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kaitei_fuzz::text(data));
