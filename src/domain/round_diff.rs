//! What changed between two rounds: items that entered the agenda, items that left it, and
//! items that moved up or down the ranking, with the reasons the rounds recorded.

use std::collections::HashMap;
use std::hash::Hash;

/// An item as one round saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen<K> {
    pub key: K,
    pub rank: Option<i32>,
    /// The decision's label, once the round is decided.
    pub decision: Option<String>,
    pub reason: String,
}

/// An item on both agendas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved<K> {
    pub before: Seen<K>,
    pub after: Seen<K>,
}

impl<K> Moved<K> {
    /// Places gained (positive) or lost; an unranked item counts as below every ranked one.
    pub fn places(&self, unranked: i32) -> i32 {
        self.before.rank.unwrap_or(unranked) - self.after.rank.unwrap_or(unranked)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff<K> {
    pub entered: Vec<Seen<K>>,
    pub left: Vec<Seen<K>>,
    pub up: Vec<Moved<K>>,
    pub down: Vec<Moved<K>>,
    pub unchanged: usize,
    /// The place an unranked item counts as: one below the last place of the longer agenda.
    pub unranked: i32,
}

/// Compares the agenda of `before` with that of `after`, each in its own order. Moves are
/// listed largest first.
pub fn diff<K: Clone + Eq + Hash>(before: &[Seen<K>], after: &[Seen<K>]) -> Diff<K> {
    let earlier: HashMap<&K, &Seen<K>> = before.iter().map(|s| (&s.key, s)).collect();
    let later: HashMap<&K, &Seen<K>> = after.iter().map(|s| (&s.key, s)).collect();
    let unranked = i32::try_from(before.len().max(after.len()) + 1).unwrap_or(i32::MAX);
    let mut result = Diff {
        entered: after
            .iter()
            .filter(|s| !earlier.contains_key(&s.key))
            .cloned()
            .collect(),
        left: before
            .iter()
            .filter(|s| !later.contains_key(&s.key))
            .cloned()
            .collect(),
        up: Vec::new(),
        down: Vec::new(),
        unchanged: 0,
        unranked,
    };
    for now in after {
        let Some(then) = earlier.get(&now.key) else {
            continue;
        };
        let moved = Moved {
            before: (*then).clone(),
            after: now.clone(),
        };
        match moved.places(unranked) {
            0 => result.unchanged += 1,
            p if p > 0 => result.up.push(moved),
            _ => result.down.push(moved),
        }
    }
    result.up.sort_by_key(|m| -m.places(unranked));
    result.down.sort_by_key(|m| m.places(unranked));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(key: char, rank: Option<i32>) -> Seen<char> {
        Seen {
            key,
            rank,
            decision: None,
            reason: String::new(),
        }
    }

    #[test]
    fn entered_left_and_moved_items_are_told_apart() {
        let before = [
            seen('a', Some(1)),
            seen('b', Some(2)),
            seen('c', Some(3)),
            seen('d', None),
        ];
        let after = [
            seen('c', Some(1)),
            seen('a', Some(2)),
            seen('b', Some(3)),
            seen('e', Some(4)),
            seen('d', Some(5)),
        ];
        let d = diff(&before, &after);
        assert_eq!(d.entered, [seen('e', Some(4))]);
        assert!(d.left.is_empty());
        let up: Vec<char> = d.up.iter().map(|m| m.after.key).collect();
        assert_eq!(up, ['c', 'd']);
        let down: Vec<char> = d.down.iter().map(|m| m.after.key).collect();
        assert_eq!(down, ['a', 'b']);
        assert_eq!(d.unchanged, 0);
        let gone = diff(&after, &before[..2]);
        assert_eq!(gone.left.len(), 3);
        assert_eq!(gone.unchanged, 0);
        assert_eq!(gone.up.len() + gone.down.len(), 2);
    }
}
