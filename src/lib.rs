//! banmian (版面): typesets Chinese newspaper pages and brochures from
//! report data with Typst. The flow: `report` (load, validate) →
//! `pipeline` (lint, photos, fonts, `compose` the newspaper page,
//! `typeset` the template data, lay out in the `world`, `checks`) →
//! `export`. `commands` holds one module per subcommand; the binary only
//! parses the command line and dispatches.

pub mod archive;
pub mod brochure;
pub mod checks;
pub mod cjk;
pub mod commands;
pub mod compose;
pub mod exit;
pub mod export;
pub mod files;
pub mod findings;
pub mod fonts;
pub mod inspect;
pub mod layouts;
pub mod pdfpatch;
pub mod photos;
pub mod pipeline;
pub mod press;
pub mod preview;
pub mod report;
pub mod rules;
pub mod typeset;
pub mod world;
