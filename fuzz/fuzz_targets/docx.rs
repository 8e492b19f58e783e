//! The Word reader (`docx::read`), on a file's bytes or on a bundle of its
//! XML parts (see the crate's documentation). Oracle (`kaitei_fuzz::docx`):
//! no panic, hang or memory blow-up; a refusal explains itself; every
//! diagnostic says something; an error-free document round-trips through
//! the printer.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kaitei_fuzz::docx(data));
