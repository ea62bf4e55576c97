//! What each story can be at each span, remembered from one composition
//! to the next while `banmian watch` runs, so that an edit works out again
//! only the story it touched. Off unless [`remember`] is called: a single
//! render has nothing to reuse, and a batch's reports share no story.
//!
//! A story's options depend on its copy (headline, paragraphs, photos and
//! their targets, pins, rank), the span and the area's height — all in the
//! key — and on the faces, which do not change within a process.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::lines::locked;
use super::module::StoryCopy;
use crate::report::{PhotoPlace, Place};

static ON: AtomicBool = AtomicBool::new(false);

/// Remembers stories' options from now on, for this process.
pub fn remember() {
    ON.store(true, Ordering::Relaxed);
}

/// Whether stories' options are remembered.
pub fn remembering() -> bool {
    ON.load(Ordering::Relaxed)
}

/// Compositions an entry outlives unused: an edit that is undone finds
/// the story again.
const KEEP: u64 = 4;

/// Values by key, each kept until [`KEEP`] rounds pass without its use.
pub struct Memo<K, V> {
    inner: Mutex<Rounds<K, V>>,
}

/// The current round, and each value with the round it was last used in.
type Rounds<K, V> = (u64, HashMap<K, (Arc<V>, u64)>);

impl<K: Hash + Eq, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self {
            inner: Mutex::new((0, HashMap::new())),
        }
    }
}

impl<K: Hash + Eq, V> Memo<K, V> {
    /// Starts a round: drops what the last [`KEEP`] rounds did not use.
    pub fn round(&self) {
        let mut inner = locked(&self.inner);
        inner.0 += 1;
        let now = inner.0;
        inner.1.retain(|_, (_, used)| now - *used <= KEEP);
    }

    /// The value for `key`, worked out by `make` (outside the lock) when
    /// it is not known.
    pub fn get_or(&self, key: K, make: impl FnOnce() -> V) -> Arc<V> {
        {
            let mut inner = locked(&self.inner);
            let now = inner.0;
            if let Some((value, used)) = inner.1.get_mut(&key) {
                *used = now;
                return Arc::clone(value);
            }
        }
        let value = Arc::new(make());
        let mut inner = locked(&self.inner);
        let now = inner.0;
        inner.1.insert(key, (Arc::clone(&value), now));
        value
    }
}

/// Everything of a story its options depend on.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct StoryKey {
    section: usize,
    kicker: Option<String>,
    headline: Vec<String>,
    subhead: Option<String>,
    size: Option<u64>,
    paragraphs: Vec<String>,
    photos: Vec<PhotoKey>,
    place: Option<Place>,
    rank: usize,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct PhotoKey {
    index: usize,
    local: usize,
    size: (u32, u32),
    caption: String,
    columns: Option<usize>,
    place: Option<PhotoPlace>,
    column: Option<usize>,
    line: Option<usize>,
    circle: bool,
    target: u64,
}

impl StoryKey {
    /// The key of `story`.
    pub fn of(story: &StoryCopy) -> Self {
        Self {
            section: story.section,
            kicker: story.kicker.clone(),
            headline: story.headline.clone(),
            subhead: story.subhead.clone(),
            size: story.size.map(f64::to_bits),
            paragraphs: story.copy.paragraphs().to_vec(),
            photos: story
                .photos
                .iter()
                .map(|p| PhotoKey {
                    index: p.index,
                    local: p.local,
                    size: (p.width, p.height),
                    caption: p.caption.clone(),
                    columns: p.columns,
                    place: p.place,
                    column: p.column,
                    line: p.line,
                    circle: p.circle,
                    target: p.target.to_bits(),
                })
                .collect(),
            place: story.place,
            rank: story.rank,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_worked_out_once_and_dropped_when_unused() {
        let memo: Memo<u32, String> = Memo::default();
        let mut made = 0;
        for _ in 0..3 {
            memo.get_or(1, || {
                made += 1;
                "one".into()
            });
        }
        assert_eq!(made, 1);
        for _ in 0..=KEEP {
            memo.round();
        }
        memo.get_or(1, || {
            made += 1;
            "one".into()
        });
        assert_eq!(made, 2, "forgotten after {KEEP} unused rounds");
    }
}
