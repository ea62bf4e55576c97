//! banmian (版面): typesets Chinese newspaper pages and brochures from
//! report data with Typst. The binary is a thin switchboard over these
//! modules; tests use them directly (the inspector above all).

pub mod check;
pub mod compose;
pub mod findings;
pub mod fonts;
pub mod inspect;
pub mod layouts;
pub mod lint;
pub mod locate;
pub mod photos;
pub mod render;
pub mod report;
pub mod rules;
pub mod typeset;
pub mod world;
