//! banmian's integration tests, as one crate (so that the Typst library
//! is linked once): the real binary in temporary folders (`cli`, `check`),
//! the laid-out pages through the inspector (`layout`, `brochure`, `rules`)
//! and the composer on generated reports (`corpus`). Shared helpers are in
//! `support`.

mod support;

mod archive;
mod bad_input;
mod batch;
mod brochure;
mod check;
mod cli;
mod corpus;
mod layout;
mod photos;
mod print;
mod rules;
mod watch;
