//! The layouts banmian can set, and the templates embedded for them.

/// Every template file, at the virtual path templates import it by.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("/layouts/common.typ", include_str!("../layouts/common.typ")),
    (
        "/layouts/newspaper.typ",
        include_str!("../layouts/newspaper.typ"),
    ),
    (
        "/layouts/brochure.typ",
        include_str!("../layouts/brochure.typ"),
    ),
    ("/layouts/impose.typ", include_str!("../layouts/impose.typ")),
];

/// A product made from one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// The one-page broadsheet feature page.
    Newspaper,
    /// The multi-page brochure (A4 or A5).
    Brochure,
}

impl Layout {
    /// Every layout, in the order `render` makes them.
    pub const ALL: &[Layout] = &[Layout::Newspaper, Layout::Brochure];

    /// The name used on the command line and in output file names.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Newspaper => "newspaper",
            Layout::Brochure => "brochure",
        }
    }

    /// The template's entry file.
    pub fn entry(self) -> &'static str {
        match self {
            Layout::Newspaper => "/layouts/newspaper.typ",
            Layout::Brochure => "/layouts/brochure.typ",
        }
    }
}
