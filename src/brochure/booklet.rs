//! The whole booklet: cover, opening (lede and contents), the stories run
//! on one after another, the key figures and the back cover — and the
//! search that picks each story's variant so that the page count is what
//! the binding needs (a multiple of 4 for saddle stitching), with no
//! blank page, reached by design and never by padding.

use serde::Serialize;

use super::geometry::Geometry;
use super::story::{Kind, Laid, Story, StoryPage};
use crate::report::Binding;

/// A page of the booklet, as the template draws it.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// Its number, from 1 (the cover).
    pub number: usize,
    /// What it is.
    pub part: Part,
    /// The story it belongs to, if any.
    pub section: Option<usize>,
    /// What a story page holds.
    pub story: Option<StoryPage>,
    /// A contents or figures page: which entries or figures it holds
    /// (from, to).
    pub range: Option<(usize, usize)>,
}

/// What a page of the booklet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    /// The front cover.
    Cover,
    /// The lede with the contents.
    Opening,
    /// The lede alone (a long lede, or a page the count needs).
    Lede,
    /// The contents alone, after the lede's page.
    Contents,
    /// A page of a story.
    Story,
    /// Key figures: the part of them given by `figures`.
    Figures,
    /// The colophon (版权页) inside the back cover: who made the booklet,
    /// the photos' credits.
    Colophon,
    /// The back cover.
    Back,
}

/// The booklet's pages, and what was done to reach its page count.
#[derive(Debug, Clone, Serialize)]
pub struct Booklet {
    /// The page geometry.
    pub geometry: Geometry,
    /// Every page.
    pub pages: Vec<Page>,
    /// Where each story starts: (section, page number).
    pub contents: Vec<(usize, usize)>,
    /// What the search chose away from each part's own best, in words;
    /// and, when no count the binding takes could be reached, why.
    #[serde(skip)]
    pub choices: Vec<String>,
    /// The page count is not one the binding takes.
    #[serde(skip)]
    pub off_count: Option<String>,
    /// How much of a page the lede takes with the title over it (over 1:
    /// it does not fit).
    #[serde(skip)]
    pub lede_fill: f64,
}

impl Booklet {
    /// The pages printed into the bleed: the cover, a spread's photo page.
    pub fn bleed_pages(&self) -> Vec<usize> {
        self.pages
            .iter()
            .filter(|p| {
                p.part == Part::Cover || p.story.as_ref().is_some_and(|s| s.kind == Kind::Spread)
            })
            .map(|p| p.number)
            .collect()
    }
}

/// The parts before and after the stories that can take one page or two.
pub struct Matter {
    /// The lede and the contents fit one page.
    pub opening_fits_one: bool,
    /// The contents alone: the entries each page holds (from, to).
    pub contents_pages: Vec<(usize, usize)>,
    /// There is a lede at all.
    pub has_lede: bool,
    /// How much of a page the lede fills on a page of its own.
    pub lede_fill: f64,
    /// Key figures, by count.
    pub figures: usize,
    /// The colophon fits a page (its list of photos is not too long).
    pub colophon_fits: bool,
}

/// Figures a page holds: two across, six rows.
const FIGURES_PER_PAGE: usize = 12;
/// The cost of a page left white, all of it; a part of a page costs its
/// share.
pub const WHITE: f64 = 4.0;

/// One way to set a part: its pages, whether it must open on a left page,
/// its cost.
struct Choice {
    pages: usize,
    opens_left: bool,
    cost: f64,
}

/// Composes the booklet. `stories` in reading order.
pub fn compose(
    stories: &[Story],
    matter: &Matter,
    binding: Binding,
    geometry: Geometry,
) -> Booklet {
    // Each part's choices: the front (cover + opening), each story, the
    // figures and the back cover.
    let opening: Vec<Choice> = {
        let mut v = Vec::new();
        if matter.opening_fits_one {
            v.push(Choice {
                pages: 1,
                opens_left: false,
                cost: 0.0,
            });
        }
        // The lede on a page of its own (which costs its white when the
        // opening could take one page), then the contents.
        let alone = usize::from(matter.has_lede) + matter.contents_pages.len();
        if !matter.opening_fits_one || matter.has_lede {
            let cost = if matter.opening_fits_one {
                0.5 + WHITE * (1.0 - matter.lede_fill).max(0.0)
            } else {
                0.0
            };
            v.push(Choice {
                pages: alone.max(1),
                opens_left: false,
                cost,
            });
        }
        v
    };
    let laid: Vec<Vec<Laid>> = stories
        .iter()
        .map(|story| {
            story
                .variants()
                .into_iter()
                .map(|v| story.lay_out(v))
                .collect()
        })
        .collect();
    let figures: Vec<Choice> = match matter.figures {
        0 => vec![Choice {
            pages: 0,
            opens_left: false,
            cost: 0.0,
        }],
        n => {
            let fewest = n.div_ceil(FIGURES_PER_PAGE);
            let mut v = vec![Choice {
                pages: fewest,
                opens_left: false,
                cost: 0.0,
            }];
            // One page more, each holding fewer (larger cards, which the
            // template spreads over the page).
            if n.div_ceil(fewest + 1) >= 2 {
                let cost = if n.div_ceil(fewest + 1) >= 4 {
                    1.0
                } else {
                    1.5
                };
                v.push(Choice {
                    pages: fewest + 1,
                    opens_left: false,
                    cost,
                });
            }
            v
        }
    };
    let mut parts: Vec<Vec<Choice>> = vec![opening];
    for variants in &laid {
        parts.push(
            variants
                .iter()
                .map(|l| Choice {
                    pages: l.pages.len(),
                    opens_left: l.opens_left,
                    cost: l.score(),
                })
                .collect(),
        );
    }
    parts.push(figures);
    // A colophon inside the back cover, where the count needs a page.
    let mut colophon = vec![Choice {
        pages: 0,
        opens_left: false,
        cost: 0.0,
    }];
    if matter.colophon_fits {
        colophon.push(Choice {
            pages: 1,
            opens_left: false,
            cost: 2.0,
        });
    }
    parts.push(colophon);
    let chosen = search(&parts, binding);
    let (picks, off_count) = chosen;
    // Assemble the pages.
    let mut pages = Vec::new();
    let mut number = 1;
    let mut push = |pages: &mut Vec<Page>,
                    part: Part,
                    section: Option<usize>,
                    story: Option<StoryPage>,
                    range: Option<(usize, usize)>| {
        pages.push(Page {
            number,
            part,
            section,
            story,
            range,
        });
        number += 1;
    };
    push(&mut pages, Part::Cover, None, None, None);
    let opening_alone = matter.opening_fits_one && picks[0] == 0;
    if opening_alone {
        push(
            &mut pages,
            Part::Opening,
            None,
            None,
            Some((0, stories.len())),
        );
    } else {
        if matter.has_lede {
            push(&mut pages, Part::Lede, None, None, None);
        }
        for &range in &matter.contents_pages {
            push(&mut pages, Part::Contents, None, None, Some(range));
        }
    }
    let mut contents = Vec::new();
    let mut choices = Vec::new();
    for (s, story) in stories.iter().enumerate() {
        let pick = &laid[s][picks[s + 1]];
        let best = laid[s]
            .iter()
            .min_by(|a, b| a.score().total_cmp(&b.score()))
            .expect("a story has a variant");
        if best.pages.len() != pick.pages.len() {
            let change = pick.pages.len() as i64 - best.pages.len() as i64;
            choices.push(format!(
                "story {} {} ({:+} page{})",
                story.section() + 1,
                pick.variant.describe(),
                change,
                if change.abs() == 1 { "" } else { "s" }
            ));
        }
        let first = pages.len() + 1 + usize::from(pick.pages[0].kind == Kind::Spread);
        contents.push((story.section(), first));
        for page in &pick.pages {
            push(
                &mut pages,
                Part::Story,
                Some(story.section()),
                Some(page.clone()),
                None,
            );
        }
    }
    let figure_pages = parts[parts.len() - 2][picks[picks.len() - 2]].pages;
    if figure_pages > 0 {
        let per = matter.figures.div_ceil(figure_pages);
        for k in 0..figure_pages {
            let range = (k * per, ((k + 1) * per).min(matter.figures));
            push(&mut pages, Part::Figures, None, None, Some(range));
        }
        if figure_pages > matter.figures.div_ceil(FIGURES_PER_PAGE) {
            choices.push(format!(
                "the key figures over {figure_pages} pages (+1 page)"
            ));
        }
    }
    if matter.opening_fits_one && !opening_alone {
        choices.insert(0, "the lede on a page of its own (+1 page)".into());
    }
    if parts[parts.len() - 1][picks[picks.len() - 1]].pages == 1 {
        push(&mut pages, Part::Colophon, None, None, None);
        choices.push("a colophon inside the back cover (+1 page)".into());
    }
    push(&mut pages, Part::Back, None, None, None);
    Booklet {
        geometry,
        pages,
        contents,
        choices,
        off_count,
        lede_fill: matter.lede_fill,
    }
}

/// Picks one option per part so that the total (with the back cover) is a
/// count the binding takes at the least cost: each part's cost, and a
/// spread only where it opens on a left-hand page. When no such count can
/// be reached, the cheapest even count, or the cheapest of all, and why.
fn search(parts: &[Vec<Choice>], binding: Binding) -> (Vec<usize>, Option<String>) {
    use std::collections::BTreeMap;
    // For each part, by pages after it: (cost, option, pages before it).
    // The cover is page 1.
    let mut steps: Vec<BTreeMap<usize, (f64, usize, usize)>> = Vec::new();
    let mut reached: BTreeMap<usize, f64> = BTreeMap::from([(1, 0.0)]);
    for options in parts {
        let mut step: BTreeMap<usize, (f64, usize, usize)> = BTreeMap::new();
        for (&pages, &cost) in &reached {
            for (i, option) in options.iter().enumerate() {
                // The part opens on page `pages + 1`; a spread needs it even.
                if option.opens_left && (pages + 1) % 2 != 0 {
                    continue;
                }
                let total = pages + option.pages;
                let cost = cost + option.cost;
                if step.get(&total).is_none_or(|(c, _, _)| cost < *c) {
                    step.insert(total, (cost, i, pages));
                }
            }
        }
        reached = step.iter().map(|(&p, &(c, _, _))| (p, c)).collect();
        steps.push(step);
    }
    let picks_for = |mut pages: usize| {
        let mut picks = vec![0; steps.len()];
        for (k, step) in steps.iter().enumerate().rev() {
            let (_, option, before) = step[&pages];
            picks[k] = option;
            pages = before;
        }
        picks
    };
    // The back cover.
    let totals: Vec<(usize, f64, usize)> = reached
        .iter()
        .map(|(&pages, &cost)| (pages + 1, cost, pages))
        .collect();
    let cheapest = |keep: &dyn Fn(usize) -> bool| {
        totals
            .iter()
            .filter(|(pages, _, _)| keep(*pages))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
            .copied()
    };
    let per = binding.pages_per_sheet();
    if let Some((_, _, last)) = cheapest(&|p| p % per == 0) {
        return (picks_for(last), None);
    }
    let natural = cheapest(&|_| true).expect("every part has an option");
    let (pages, _, last) = cheapest(&|p| p % 2 == 0).unwrap_or(natural);
    let picks = picks_for(last);
    let why = format!(
        "{pages} pages: no choice of photo sizes, galleries and openers gives a multiple of {per}; \
         the copy would need to be longer or shorter by about a page"
    );
    (picks, Some(why))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(pages: usize, opens_left: bool, cost: f64) -> Choice {
        Choice {
            pages,
            opens_left,
            cost,
        }
    }

    #[test]
    fn the_count_is_reached_by_design_and_a_spread_only_opens_on_a_left_page() {
        // Cover, then: the opening on one page or two; a story of 3 pages,
        // or 4 with a spread; the back cover. 8 pages only with the
        // opening on two pages, which puts the spread on page 4.
        let parts = vec![
            vec![option(1, false, 0.0), option(2, false, 1.0)],
            vec![option(3, false, 0.0), option(4, true, 0.5)],
        ];
        let (picks, off) = search(&parts, Binding::Saddle);
        assert_eq!(picks, vec![1, 1]);
        assert!(off.is_none());
        // Glued, 6 pages do: the cheapest.
        let (picks, off) = search(&parts, Binding::Perfect);
        assert_eq!(picks, vec![0, 0]);
        assert!(off.is_none());
    }

    #[test]
    fn a_count_out_of_reach_is_said_with_why() {
        let parts = vec![vec![option(1, false, 0.0)], vec![option(3, false, 0.0)]];
        let (picks, off) = search(&parts, Binding::Saddle);
        assert_eq!(picks, vec![0, 0]);
        let why = off.expect("6 pages cannot be 8");
        assert!(
            why.contains("6 pages") && why.contains("multiple of 4"),
            "{why}"
        );
    }
}
