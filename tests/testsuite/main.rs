//! End-to-end tests of the `mus` binary: a module per command, sharing the
//! helpers in `support`.

mod generate;
mod interop;
mod spelling;
mod support;
mod topics;
