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
/// means "put it here": an item whose typed position differs from its saved one ends at exactly
/// that position, whether it moves up or down, and the items left where they were close up
/// around it in their saved order. A position past the end means last. When several changed
/// items want the same place, the one saved higher takes it and the next follows right after.
/// Unranked items keep no position and come last.
pub fn renumber<K: Copy + PartialEq>(entries: &[Entry<K>]) -> Vec<(K, Option<u32>)> {
    let changed = |e: &&Entry<K>| e.typed.is_some() && e.typed != e.saved;
    let mut stay: Vec<&Entry<K>> = entries
        .iter()
        .filter(|e| e.typed.is_some())
        .filter(|e| !changed(e))
        .collect();
    stay.sort_by_key(|e| e.typed);
    let mut moved: Vec<&Entry<K>> = entries.iter().filter(changed).collect();
    moved.sort_by_key(|e| (e.typed, e.saved.unwrap_or(u32::MAX)));
    // Sorting the typed places by their index would let an item moving down count itself among
    // the items it passes, which put it one place short ("7 → 8" stayed at 7). Instead the
    // moved items are taken out and inserted at their places, lowest first: every insertion
    // lands exactly where it was typed, because everything before it is already final.
    let mut ranked: Vec<&Entry<K>> = stay;
    let mut floor = 0;
    for entry in moved {
        let wanted = entry
            .typed
            .and_then(|p| usize::try_from(p).ok())
            .unwrap_or(usize::MAX)
            .saturating_sub(1);
        let at = wanted.max(floor).min(ranked.len());
        ranked.insert(at, entry);
        floor = at + 1;
    }
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

    /// Ten items ranked 1..=10 (keys 'a'..='j'), with `key` typed to `place`.
    fn typed_once(key: char, place: u32) -> Vec<char> {
        let entries: Vec<Entry<char>> = ('a'..='j')
            .zip(1u32..)
            .map(|(k, saved)| {
                let typed = if k == key { place } else { saved };
                entry(k, Some(saved), Some(typed))
            })
            .collect();
        let order = renumber(&entries);
        let places: Vec<u32> = order.iter().filter_map(|(_, p)| *p).collect();
        assert_eq!(places, (1..=10).collect::<Vec<_>>());
        order.into_iter().map(|(k, _)| k).collect()
    }

    fn place_of(order: &[char], key: char) -> usize {
        order.iter().position(|k| *k == key).unwrap() + 1
    }

    #[test]
    fn a_typed_lower_place_is_the_place_it_ends_at() {
        // The reported bug: 7 typed to 8 stayed at 7, and typed to 9 landed at 8.
        assert_eq!(typed_once('g', 8), "abcdefhgij".chars().collect::<Vec<_>>());
        assert_eq!(typed_once('g', 9), "abcdefhigj".chars().collect::<Vec<_>>());
        for place in 1..=10 {
            assert_eq!(
                place_of(&typed_once('d', place), 'd'),
                place as usize,
                "4 → {place}"
            );
        }
    }

    #[test]
    fn a_typed_higher_place_is_the_place_it_ends_at() {
        assert_eq!(typed_once('g', 2), "agbcdefhij".chars().collect::<Vec<_>>());
        assert_eq!(typed_once('g', 6), "abcdegfhij".chars().collect::<Vec<_>>());
    }

    #[test]
    fn first_and_last_place() {
        assert_eq!(typed_once('j', 1), "jabcdefghi".chars().collect::<Vec<_>>());
        assert_eq!(
            typed_once('a', 10),
            "bcdefghija".chars().collect::<Vec<_>>()
        );
        assert_eq!(typed_once('a', 1), "abcdefghij".chars().collect::<Vec<_>>());
    }

    #[test]
    fn places_out_of_range_mean_first_or_last() {
        assert_eq!(
            typed_once('c', 11),
            "abdefghijc".chars().collect::<Vec<_>>()
        );
        assert_eq!(
            typed_once('c', 999),
            "abdefghijc".chars().collect::<Vec<_>>()
        );
        assert_eq!(
            typed_once('c', u32::MAX),
            "abdefghijc".chars().collect::<Vec<_>>()
        );
        assert_eq!(typed_once('c', 0), "cabdefghij".chars().collect::<Vec<_>>());
    }

    #[test]
    fn two_typed_places_each_end_where_typed() {
        // Swapping two items by typing both places.
        let entries = [
            entry('a', Some(1), Some(1)),
            entry('b', Some(2), Some(4)),
            entry('c', Some(3), Some(3)),
            entry('d', Some(4), Some(2)),
        ];
        assert_eq!(
            renumber(&entries),
            vec![
                ('a', Some(1)),
                ('d', Some(2)),
                ('c', Some(3)),
                ('b', Some(4))
            ]
        );
        // Two items typed to one place: the one saved higher takes it, the other follows.
        let entries = [
            entry('a', Some(1), Some(3)),
            entry('b', Some(2), Some(2)),
            entry('c', Some(3), Some(3)),
            entry('d', Some(4), Some(1)),
            entry('e', Some(5), Some(1)),
        ];
        assert_eq!(
            renumber(&entries),
            vec![
                ('d', Some(1)),
                ('e', Some(2)),
                ('a', Some(3)),
                ('b', Some(4)),
                ('c', Some(5))
            ]
        );
    }

    #[test]
    fn an_unranked_item_typed_a_place_takes_it() {
        let entries = [
            entry('a', Some(1), Some(1)),
            entry('b', Some(2), Some(2)),
            entry('c', Some(3), Some(3)),
            entry('x', None, Some(2)),
        ];
        assert_eq!(
            renumber(&entries),
            vec![
                ('a', Some(1)),
                ('x', Some(2)),
                ('b', Some(3)),
                ('c', Some(4))
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

        #[test]
        fn one_typed_place_is_where_the_item_ends(n in 1usize..40, from in 0usize..40, to in 1u32..50) {
            let from = from % n;
            let entries: Vec<Entry<usize>> = (0..n)
                .map(|i| {
                    let saved = u32::try_from(i + 1).ok();
                    Entry { key: i, saved, typed: if i == from { Some(to) } else { saved } }
                })
                .collect();
            let order = renumber(&entries);
            let at = order.iter().position(|(k, _)| *k == from).unwrap() + 1;
            prop_assert_eq!(at, usize::try_from(to).unwrap().min(n));
            // The others keep their order.
            let others: Vec<usize> = order.iter().map(|(k, _)| *k).filter(|k| *k != from).collect();
            prop_assert!(others.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
