//! Composition of the newspaper page: the grid, the line setter, each
//! story's text area, the modules a story or the key figures can take, and
//! the search that tiles the page with them.
//!
//! - [`grid`]: the page's geometry, the one source of its numbers;
//! - [`lines`]: breaking lines and pouring them into bands;
//! - [`text`]: a story's text area, balanced, photos inside it;
//! - [`module`]: what one story (or the key figures) can look like at each
//!   span and depth: headline, photo rows, text;
//! - [`page`]: the search over arrangements of modules, and its score;
//! - [`memo`]: stories' options kept between compositions (`watch`);
//! - [`plan`]: the chosen arrangement, as the template draws it and as
//!   `banmian plan` prints it.

pub mod band;
pub mod failure;
pub mod grid;
pub mod lines;
pub mod memo;
pub mod module;
pub mod page;
pub mod plan;
pub mod text;

pub use lines::*;
