//! Unit and property tests of the optimiser: the rules checked from scratch, brute force and
//! a table over hours and cost as references.

use proptest::prelude::*;

use super::*;

fn item(benefit: u64, hours: u64, cost: u64) -> Candidate {
    Candidate {
        benefit,
        hours,
        cost,
        ..Candidate::default()
    }
}

fn mandatory(mut candidate: Candidate) -> Candidate {
    candidate.mandatory = true;
    candidate
}

fn requiring(mut candidate: Candidate, requires: &[usize]) -> Candidate {
    candidate.requires = requires.to_vec();
    candidate
}

fn blocked(mut candidate: Candidate) -> Candidate {
    candidate.blocked = true;
    candidate
}

fn limits(hours: u64, cost: u64) -> Limits {
    Limits { hours, cost }
}

fn chosen(selection: &Selection) -> Vec<usize> {
    (0..selection.chosen.len())
        .filter(|&i| selection.chosen[i])
        .collect()
}

/// The rules, checked from scratch: forced items in; a chosen item's requirements in; no
/// blocked (or dangling) non-forced item in; within the limits when the forced items fit,
/// else nothing but them; totals right.
fn check_valid(candidates: &[Candidate], limits: Limits, selection: &Selection) {
    let n = candidates.len();
    assert_eq!(selection.chosen.len(), n);
    let structure = Structure::new(candidates);
    for (i, candidate) in candidates.iter().enumerate() {
        if structure.forced[i] {
            assert!(selection.chosen[i], "forced item {i} left out");
        }
        if selection.chosen[i] {
            for &r in candidate.requires.iter().filter(|&&r| r < n) {
                assert!(
                    selection.chosen[r],
                    "{i} chosen without its requirement {r}"
                );
            }
            if !structure.forced[i] {
                assert!(!candidate.blocked, "blocked item {i} chosen");
                assert!(candidate.requires.iter().all(|&r| r < n));
            }
        }
    }
    let sum = |f: fn(&Candidate) -> u64| -> u64 {
        (0..n)
            .filter(|&i| selection.chosen[i])
            .map(|i| f(&candidates[i]))
            .sum()
    };
    assert_eq!(selection.benefit, sum(|c| c.benefit));
    assert_eq!(selection.hours, sum(|c| c.hours));
    assert_eq!(selection.cost, sum(|c| c.cost));
    let fits = structure.mandatory_hours <= u128::from(limits.hours)
        && structure.mandatory_cost <= u128::from(limits.cost);
    assert_eq!(selection.mandatory_fit, fits);
    if fits {
        assert!(selection.hours <= limits.hours && selection.cost <= limits.cost);
    } else {
        assert_eq!(selection.chosen, structure.forced);
    }
}

/// The best (benefit, −cost, −hours) over every subset that keeps the rules.
fn brute_force(candidates: &[Candidate], limits: Limits) -> (u64, u64, u64) {
    let n = candidates.len();
    assert!(n <= 24);
    let structure = Structure::new(candidates);
    let bit = |i: usize| 1_u32 << i;
    let forced: u32 = (0..n).filter(|&i| structure.forced[i]).map(bit).sum();
    let needs: Vec<u32> = candidates
        .iter()
        .map(|c| {
            c.requires
                .iter()
                .filter(|&&r| r < n)
                .map(|&r| bit(r))
                .fold(0, |a, b| a | b)
        })
        .collect();
    let allowed: u32 = (0..n)
        .filter(|&i| !candidates[i].blocked && candidates[i].requires.iter().all(|&r| r < n))
        .map(bit)
        .fold(0, |a, b| a | b)
        | forced;
    let totals = |set: u32| {
        (0..n)
            .filter(|&i| set & bit(i) != 0)
            .fold((0, 0, 0), |(b, h, c), i| {
                let x = &candidates[i];
                (b + x.benefit, h + x.hours, c + x.cost)
            })
    };
    let (_, forced_hours, forced_cost) = totals(forced);
    if forced_hours > limits.hours || forced_cost > limits.cost {
        return totals(forced);
    }
    let free = allowed & !forced;
    let mut best: Option<(u64, u64, u64)> = None;
    let mut sub = 0_u32;
    loop {
        let set = forced | sub;
        let closed = (0..n).all(|i| set & bit(i) == 0 || needs[i] & !set == 0);
        let (b, h, c) = totals(set);
        if closed && h <= limits.hours && c <= limits.cost {
            let better = best.is_none_or(|(bb, bh, bc)| (b, bc, bh) > (bb, c, h));
            if better {
                best = Some((b, h, c));
            }
        }
        if sub == free {
            break;
        }
        sub = (sub.wrapping_sub(free)) & free;
    }
    best.unwrap()
}

#[test]
fn mandatory_items_are_always_in() {
    let candidates = vec![
        item(100, 10, 10),
        mandatory(item(1, 5, 5)),
        item(90, 10, 10),
    ];
    let selection = optimise(&candidates, limits(15, 15));
    assert_eq!(chosen(&selection), vec![0, 1]);
    assert!(selection.mandatory_fit && selection.proven_optimal);
    check_valid(&candidates, limits(15, 15), &selection);
}

#[test]
fn mandatory_items_over_capacity_take_nothing_else_along() {
    let candidates = vec![
        mandatory(item(5, 30, 1)),
        requiring(mandatory(item(5, 1, 1)), &[3]),
        item(100, 0, 0),
        item(0, 10, 10),
    ];
    let selection = optimise(&candidates, limits(35, 100));
    assert!(!selection.mandatory_fit);
    assert_eq!(chosen(&selection), vec![0, 1, 3]);
    assert_eq!((selection.hours, selection.cost), (41, 12));
    check_valid(&candidates, limits(35, 100), &selection);
    let reasons = explain(&candidates, limits(35, 100), &selection);
    assert_eq!(reasons[3], Reason::RequiredBy(1));
    assert_eq!(
        reasons[2],
        Reason::MandatoryExceeds {
            hours: true,
            cost: false
        }
    );
}

#[test]
fn a_chosen_item_brings_its_requirements_along_the_chain() {
    let candidates = vec![
        requiring(item(50, 2, 2), &[1]),
        requiring(item(0, 3, 3), &[2]),
        item(0, 1, 1),
        item(20, 5, 5),
    ];
    let selection = optimise(&candidates, limits(6, 6));
    assert_eq!(chosen(&selection), vec![0, 1, 2]);
    assert_eq!(selection.benefit, 50);
    // Without room for the chain, the item alone does not go in.
    let selection = optimise(&candidates, limits(5, 5));
    assert_eq!(chosen(&selection), vec![3]);
    let reasons = explain(&candidates, limits(5, 5), &selection);
    assert_eq!(
        reasons[0],
        Reason::TooLarge {
            hours: true,
            cost: true
        }
    );
    assert_eq!(reasons[1], Reason::NoBenefit);
}

#[test]
fn blocked_items_and_what_requires_them_stay_out_unless_mandatory() {
    let candidates = vec![
        blocked(item(100, 1, 1)),
        requiring(item(100, 1, 1), &[0]),
        item(1, 1, 1),
        requiring(item(100, 1, 1), &[99]),
        blocked(item(1, 1, 1)),
        requiring(mandatory(item(1, 1, 1)), &[4]),
    ];
    let selection = optimise(&candidates, limits(10, 10));
    assert_eq!(chosen(&selection), vec![2, 4, 5]);
    let reasons = explain(&candidates, limits(10, 10), &selection);
    assert_eq!(reasons[0], Reason::Blocked);
    assert_eq!(reasons[1], Reason::NeedsExcluded(0));
    assert_eq!(reasons[3], Reason::Blocked);
    assert_eq!(reasons[4], Reason::RequiredBy(5));
    assert_eq!(reasons[5], Reason::Mandatory);
}

#[test]
fn a_cycle_goes_in_or_out_as_a_whole() {
    let candidates = vec![
        requiring(item(10, 2, 2), &[1]),
        requiring(item(10, 2, 2), &[2]),
        requiring(item(10, 2, 2), &[0]),
        item(25, 5, 5),
    ];
    let selection = optimise(&candidates, limits(6, 6));
    assert_eq!(chosen(&selection), vec![0, 1, 2]);
    let selection = optimise(&candidates, limits(5, 6));
    assert_eq!(chosen(&selection), vec![3]);
}

#[test]
fn two_limits_beat_the_greedy_choice() {
    // Greedy by benefit per combined size takes 0 first and then nothing fits; the
    // optimum is 1 + 2 (hand-checked over all eight subsets).
    let candidates = vec![item(60, 6, 2), item(40, 4, 5), item(40, 5, 4)];
    let selection = optimise(&candidates, limits(9, 9));
    assert_eq!(chosen(&selection), vec![1, 2]);
    assert_eq!(
        (selection.benefit, selection.hours, selection.cost),
        (80, 9, 9)
    );
    assert!(selection.proven_optimal && selection.cheapest_proven);
}

#[test]
fn equal_benefit_goes_to_the_cheaper_then_the_smaller() {
    let candidates = vec![
        item(10, 5, 9),
        item(10, 5, 7),
        item(10, 6, 7),
        item(10, 4, 8),
    ];
    let selection = optimise(&candidates, limits(6, 9));
    assert_eq!(chosen(&selection), vec![1]);
    assert!(selection.cheapest_proven);
}

#[test]
fn zero_benefit_items_are_only_chosen_as_requirements() {
    let candidates = vec![item(0, 1, 1), item(0, 0, 0)];
    let selection = optimise(&candidates, limits(10, 10));
    assert!(chosen(&selection).is_empty());
    let reasons = explain(&candidates, limits(10, 10), &selection);
    assert_eq!(reasons, vec![Reason::NoBenefit, Reason::NoBenefit]);
}

#[test]
fn the_node_limit_still_gives_a_valid_selection() {
    let candidates: Vec<Candidate> = (0..40_u64)
        .map(|i| item(10 + i % 7 * 3, 5 + i % 11, 7 + i % 5 * 2))
        .collect();
    let selection = optimise_with_node_limit(&candidates, limits(60, 60), 1);
    assert!(!selection.proven_optimal && !selection.cheapest_proven);
    assert!(selection.benefit > 0);
    check_valid(&candidates, limits(60, 60), &selection);
}

#[test]
fn explains_a_small_portfolio() {
    let candidates = vec![
        mandatory(item(5, 2, 2)),        // 0
        item(30, 3, 3),                  // 1
        requiring(item(40, 2, 2), &[3]), // 2
        item(1, 1, 1),                   // 3
        item(20, 4, 4),                  // 4
        item(10, 20, 1),                 // 5
        blocked(item(50, 1, 1)),         // 6
        requiring(item(50, 1, 1), &[6]), // 7
        item(0, 1, 1),                   // 8
    ];
    let limits = limits(10, 10);
    let selection = optimise(&candidates, limits);
    // 0 (mandatory) + 1 + 2 + 3 = 8 hours; 4 does not fit beside them.
    assert_eq!(chosen(&selection), vec![0, 1, 2, 3]);
    let reasons = explain(&candidates, limits, &selection);
    assert_eq!(reasons[0], Reason::Mandatory);
    assert_eq!(reasons[1], Reason::Chosen);
    assert_eq!(reasons[2], Reason::Chosen);
    assert_eq!(reasons[3], Reason::RequiredBy(2));
    // Room for 4 (2 hours and 2 öre short): dropping 1 loses 10 benefit per hour freed, 2
    // loses 20, and 3 (which takes 2 along) 41 for 3 hours: 1 goes, and is enough.
    assert_eq!(
        reasons[4],
        Reason::Displaces {
            remove: vec![1],
            lost: 30,
            gained: 20
        }
    );
    assert_eq!(
        reasons[5],
        Reason::TooLarge {
            hours: true,
            cost: false
        }
    );
    assert_eq!(reasons[6], Reason::Blocked);
    assert_eq!(reasons[7], Reason::NeedsExcluded(6));
    assert_eq!(reasons[8], Reason::NoBenefit);

    // A selection made by hand, with room left.
    let mut by_hand = selection.clone();
    by_hand.chosen[1] = false;
    assert_eq!(
        explain(&candidates, limits, &by_hand)[4],
        Reason::Fits { gained: 20 }
    );
}

#[test]
fn frontier_points_come_in_the_order_asked() {
    let candidates = vec![item(10, 1, 100), item(15, 1, 300), item(4, 1, 50)];
    let points = frontier(&candidates, 2, &[400, 0, 150, 100]);
    let benefits: Vec<u64> = points.iter().map(|p| p.benefit).collect();
    assert_eq!(benefits, vec![25, 0, 14, 10]);
}

#[test]
fn the_hours_ceiling_is_the_best_under_hours_alone() {
    let candidates = vec![item(6, 3, 5), item(6, 3, 4), item(5, 2, 1), item(4, 2, 9)];
    let structure = Structure::new(&candidates);
    let ceiling = hours_ceiling(&candidates, &structure, 5).unwrap();
    assert_eq!((ceiling.benefit, ceiling.cost, ceiling.hours), (11, 5, 5));
    assert_eq!(ceiling.chosen, vec![false, true, true, false]);
}

/// Random portfolios: requirements point to items generated earlier (so no cycles), and
/// the items are then shuffled so that requirements point anywhere.
fn portfolio(
    items: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = (Vec<Candidate>, Limits)> {
    items
        .prop_flat_map(|n| {
            let items = prop::collection::vec(
                (
                    0_u64..25,
                    0_u64..12,
                    0_u64..12,
                    0_u8..12,
                    0_u8..12,
                    prop::collection::vec(any::<u16>(), 0..3),
                ),
                n,
            );
            let places = Just((0..n).collect::<Vec<usize>>()).prop_shuffle();
            (items, places, 0_u64..=100, 0_u64..=100)
        })
        .prop_map(|(items, places, hours_share, cost_share)| {
            let n = items.len();
            let mut candidates = vec![Candidate::default(); n];
            for (k, (benefit, hours, cost, mandatory, blocked, requires)) in
                items.into_iter().enumerate()
            {
                let requires = if k == 0 {
                    Vec::new()
                } else {
                    requires
                        .iter()
                        .filter(|&&r| r % 3 != 0)
                        .map(|&r| places[usize::from(r) % k])
                        .collect()
                };
                candidates[places[k]] = Candidate {
                    benefit: benefit.saturating_sub(4),
                    hours,
                    cost,
                    mandatory: mandatory == 0,
                    requires,
                    blocked: blocked == 0,
                };
            }
            let hours: u64 = candidates.iter().map(|c| c.hours).sum();
            let cost: u64 = candidates.iter().map(|c| c.cost).sum();
            let limits = Limits {
                hours: hours * hours_share / 100,
                cost: cost * cost_share / 100,
            };
            (candidates, limits)
        })
}

/// Every reason's claim, checked against the numbers.
fn check_reasons(candidates: &[Candidate], limits: Limits, selection: &Selection) {
    let n = candidates.len();
    let structure = Structure::new(candidates);
    let reasons = explain(candidates, limits, selection);
    assert_eq!(reasons.len(), n);
    for (i, reason) in reasons.iter().enumerate() {
        let in_ = selection.chosen[i];
        match reason {
            Reason::Mandatory => assert!(in_ && candidates[i].mandatory),
            Reason::RequiredBy(j) => {
                assert!(in_ && selection.chosen[*j] && candidates[*j].requires.contains(&i));
            }
            Reason::Chosen => assert!(in_ && !candidates[i].mandatory),
            Reason::Blocked => assert!(!in_),
            Reason::NeedsExcluded(j) => {
                assert!(!in_ && !selection.chosen[*j]);
                assert!(structure.full_closure[i].contains(j));
                assert_eq!(reasons[*j], Reason::Blocked);
            }
            Reason::MandatoryExceeds { .. } => assert!(!in_ && !selection.mandatory_fit),
            Reason::NoBenefit => assert!(!in_ && candidates[i].benefit == 0),
            Reason::TooLarge { hours, cost } => {
                assert!(!in_ && (*hours || *cost));
                let group = &structure.closure[i];
                let h: u128 = group.iter().map(|&x| u128::from(candidates[x].hours)).sum();
                let c: u128 = group.iter().map(|&x| u128::from(candidates[x].cost)).sum();
                let over_h = h + structure.mandatory_hours > u128::from(limits.hours);
                let over_c = c + structure.mandatory_cost > u128::from(limits.cost);
                assert_eq!((*hours, *cost), (over_h, over_c));
            }
            Reason::Displaces {
                remove,
                lost,
                gained,
            } => {
                assert!(!in_);
                // The swap it describes keeps the rules and the limits...
                let mut swapped = selection.chosen.clone();
                for &x in remove {
                    assert!(selection.chosen[x] && !structure.forced[x]);
                    swapped[x] = false;
                }
                for &x in &structure.closure[i] {
                    swapped[x] = true;
                }
                let after = selection_of(candidates, swapped, (true, true), true, 0);
                check_valid(candidates, limits, &after);
                let lost_now: u64 = remove.iter().map(|&x| candidates[x].benefit).sum();
                assert_eq!(*lost, lost_now);
                assert_eq!(after.benefit + lost, selection.benefit + gained);
                // ...and it would not improve a proven optimum.
                if selection.proven_optimal {
                    assert!(lost >= gained);
                }
            }
            Reason::Fits { gained } => {
                assert!(!in_ && !selection.proven_optimal && *gained > 0);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn small_portfolios_get_the_brute_force_optimum((candidates, limits) in portfolio(0..=12)) {
        let selection = optimise(&candidates, limits);
        check_valid(&candidates, limits, &selection);
        prop_assert!(selection.proven_optimal && selection.cheapest_proven);
        let (benefit, hours, cost) = brute_force(&candidates, limits);
        prop_assert_eq!((selection.benefit, selection.cost, selection.hours), (benefit, cost, hours));
        check_reasons(&candidates, limits, &selection);
    }

    #[test]
    fn mandatory_items_are_in_and_limits_kept((candidates, limits) in portfolio(0..=40)) {
        let selection = optimise(&candidates, limits);
        check_valid(&candidates, limits, &selection);
        for (i, candidate) in candidates.iter().enumerate() {
            prop_assert!(!candidate.mandatory || selection.chosen[i]);
        }
        check_reasons(&candidates, limits, &selection);
    }

    #[test]
    fn the_frontier_never_falls((candidates, limits) in portfolio(0..=14), steps in prop::collection::vec(0_u64..40, 1..8)) {
        let budgets: Vec<u64> = steps.iter().scan(0, |total, step| { *total += step; Some(*total) }).collect();
        let points = frontier(&candidates, limits.hours, &budgets);
        prop_assert_eq!(points.len(), budgets.len());
        for (point, &budget) in points.iter().zip(&budgets) {
            let limits = Limits { hours: limits.hours, cost: budget };
            check_valid(&candidates, limits, point);
            prop_assert_eq!(point.benefit, optimise(&candidates, limits).benefit);
        }
        for pair in points.windows(2) {
            prop_assert!(pair[0].benefit <= pair[1].benefit);
        }
    }

    #[test]
    fn a_known_ceiling_changes_nothing((candidates, limits) in portfolio(0..=12)) {
        let structure = Structure::new(&candidates);
        let rem_hours = limits.hours.saturating_sub(u64::try_from(structure.mandatory_hours).unwrap_or(u64::MAX));
        let ceiling = OnceCell::from(hours_ceiling(&candidates, &structure, rem_hours));
        let selection = solve(&candidates, &structure, limits, NODE_LIMIT, None, &ceiling);
        check_valid(&candidates, limits, &selection);
        let (benefit, hours, cost) = brute_force(&candidates, limits);
        prop_assert_eq!((selection.benefit, selection.cost, selection.hours), (benefit, cost, hours));
    }
}

/// The best (benefit, −cost, −hours) of a portfolio without dependencies, by a table over
/// hours and cost: best[h][c] is the most benefit within h hours and cost c.
fn by_table(candidates: &[Candidate], limits: Limits) -> (u64, u64, u64) {
    let forced: Vec<&Candidate> = candidates.iter().filter(|c| c.mandatory).collect();
    let hours: u64 = forced.iter().map(|c| c.hours).sum();
    let cost: u64 = forced.iter().map(|c| c.cost).sum();
    let benefit: u64 = forced.iter().map(|c| c.benefit).sum();
    if hours > limits.hours || cost > limits.cost {
        return (benefit, hours, cost);
    }
    let (h_max, c_max) = (
        usize::try_from(limits.hours - hours).unwrap(),
        usize::try_from(limits.cost - cost).unwrap(),
    );
    let mut best = vec![vec![0_u64; c_max + 1]; h_max + 1];
    for item in candidates.iter().filter(|c| !c.mandatory && !c.blocked) {
        let (ih, ic) = (
            usize::try_from(item.hours).unwrap(),
            usize::try_from(item.cost).unwrap(),
        );
        for h in (ih..=h_max).rev() {
            for c in (ic..=c_max).rev() {
                best[h][c] = best[h][c].max(best[h - ih][c - ic] + item.benefit);
            }
        }
    }
    let most = best[h_max][c_max];
    let c_min = (0..=c_max).find(|&c| best[h_max][c] == most).unwrap();
    let h_min = (0..=h_max).find(|&h| best[h][c_min] == most).unwrap();
    (
        benefit + most,
        hours + u64::try_from(h_min).unwrap(),
        cost + u64::try_from(c_min).unwrap(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    #[test]
    fn medium_portfolios_match_a_table_over_hours_and_cost(
        (mut candidates, _) in portfolio(20..=45),
        hours_share in 5_u64..60,
        cost_share in 5_u64..60,
    ) {
        for candidate in &mut candidates {
            candidate.requires.clear();
        }
        let hours: u64 = candidates.iter().map(|c| c.hours).sum();
        let cost: u64 = candidates.iter().map(|c| c.cost).sum();
        let limits = Limits { hours: hours * hours_share / 100, cost: cost * cost_share / 100 };
        let selection = optimise(&candidates, limits);
        check_valid(&candidates, limits, &selection);
        prop_assert!(selection.proven_optimal && selection.cheapest_proven);
        let (benefit, hours, cost) = by_table(&candidates, limits);
        prop_assert_eq!((selection.benefit, selection.cost, selection.hours), (benefit, cost, hours));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn larger_portfolios_get_the_brute_force_optimum((candidates, limits) in portfolio(17..=20)) {
        let selection = optimise(&candidates, limits);
        check_valid(&candidates, limits, &selection);
        let (benefit, hours, cost) = brute_force(&candidates, limits);
        prop_assert_eq!((selection.benefit, selection.cost, selection.hours), (benefit, cost, hours));
    }
}
