//! The coordination group's ranking: turning typed positions (or a move up or down) into a
//! gapless order 1, 2, 3 … without losing anyone's place.

/// One item of the board: its saved position and the position typed for it (None: unranked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<K> {
    pub key: K,
    pub saved: Option<u32>,
    pub typed: Option<u32>,
}

/// A move made with the buttons instead of a typed position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move<K> {
    Up(K),
    Down(K),
}

/// Orders the entries by their typed positions and numbers them 1, 2, 3 … Typing a position
/// means "put it here": when two items want the same place, the one whose position was changed
/// takes it and the other moves down one. Unranked items keep no position and come last.
pub fn renumber<K: Copy + PartialEq>(entries: &[Entry<K>]) -> Vec<(K, Option<u32>)> {
    let mut ranked: Vec<&Entry<K>> = entries.iter().filter(|e| e.typed.is_some()).collect();
    ranked.sort_by_key(|e| {
        let changed = e.typed != e.saved;
        (e.typed, !changed, e.saved.unwrap_or(u32::MAX))
    });
    let mut order: Vec<(K, Option<u32>)> = ranked
        .iter()
        .zip(1u32..)
        .map(|(e, position)| (e.key, Some(position)))
        .collect();
    order.extend(
        entries
            .iter()
            .filter(|e| e.typed.is_none())
            .map(|e| (e.key, None)),
    );
    order
}

/// Applies a move to an order from [`renumber`]. Moving an unranked item up ranks it last.
pub fn apply<K: Copy + PartialEq>(order: &mut [(K, Option<u32>)], mv: Move<K>) {
    let ranked = order.iter().filter(|(_, p)| p.is_some()).count();
    let (key, up) = match mv {
        Move::Up(k) => (k, true),
        Move::Down(k) => (k, false),
    };
    let Some(i) = order.iter().position(|(k, _)| *k == key) else {
        return;
    };
    match (order[i].1, up) {
        (None, true) => {
            // Unranked items follow the ranked ones, so the first unranked is at `ranked`.
            order.swap(i, ranked);
            order[ranked].1 = u32::try_from(ranked + 1).ok();
        }
        (Some(_), true) if i > 0 => order.swap(i, i - 1),
        (Some(_), false) if i + 1 < ranked => order.swap(i, i + 1),
        _ => return,
    }
    for (position, entry) in order.iter_mut().take(ranked.max(i + 1)).enumerate() {
        if entry.1.is_some() {
            entry.1 = u32::try_from(position + 1).ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn entry(key: char, saved: Option<u32>, typed: Option<u32>) -> Entry<char> {
        Entry { key, saved, typed }
    }

    #[test]
    fn a_typed_position_takes_the_place_and_pushes_the_rest_down() {
        let entries = [
            entry('a', Some(1), Some(1)),
            entry('b', Some(2), Some(2)),
            entry('c', Some(3), Some(3)),
            entry('d', Some(4), Some(2)),
            entry('e', None, None),
        ];
        assert_eq!(
            renumber(&entries),
            vec![
                ('a', Some(1)),
                ('d', Some(2)),
                ('b', Some(3)),
                ('c', Some(4)),
                ('e', None)
            ]
        );
    }

    #[test]
    fn gaps_close_and_unranking_drops_to_the_end() {
        let entries = [
            entry('a', Some(1), Some(5)),
            entry('b', Some(2), None),
            entry('c', None, Some(9)),
        ];
        assert_eq!(
            renumber(&entries),
            vec![('a', Some(1)), ('c', Some(2)), ('b', None)]
        );
    }

    #[test]
    fn moves_swap_neighbours_and_rank_the_unranked_last() {
        let mut order = vec![('a', Some(1)), ('b', Some(2)), ('c', None)];
        apply(&mut order, Move::Up('b'));
        assert_eq!(order, vec![('b', Some(1)), ('a', Some(2)), ('c', None)]);
        apply(&mut order, Move::Up('b'));
        assert_eq!(order, vec![('b', Some(1)), ('a', Some(2)), ('c', None)]);
        apply(&mut order, Move::Down('a'));
        assert_eq!(order, vec![('b', Some(1)), ('a', Some(2)), ('c', None)]);
        apply(&mut order, Move::Up('c'));
        assert_eq!(order, vec![('b', Some(1)), ('a', Some(2)), ('c', Some(3))]);
    }

    proptest! {
        #[test]
        fn renumbering_keeps_every_item_and_numbers_without_gaps(
            typed in proptest::collection::vec(proptest::option::of(1u32..30), 0..40)
        ) {
            let entries: Vec<Entry<usize>> = typed
                .iter()
                .enumerate()
                .map(|(i, t)| Entry { key: i, saved: u32::try_from(i + 1).ok(), typed: *t })
                .collect();
            let order = renumber(&entries);
            prop_assert_eq!(order.len(), entries.len());
            let ranked: Vec<u32> = order.iter().filter_map(|(_, p)| *p).collect();
            let expected: Vec<u32> = (1..=u32::try_from(ranked.len()).unwrap()).collect();
            prop_assert_eq!(ranked, expected);
            let mut keys: Vec<usize> = order.iter().map(|(k, _)| *k).collect();
            keys.sort_unstable();
            prop_assert_eq!(keys, (0..entries.len()).collect::<Vec<_>>());
        }
    }
}
