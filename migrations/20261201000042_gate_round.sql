-- The decided round the order gate judges an item by, as of a quarter: the latest decided round
-- before it, or the latest of all when the quarter is NULL. An item may be ordered only if that
-- round prioritised it. The gate (portfolio::orders::policy) and the ranking board's
-- "Prioriterat …, ej beställt" both ask this function, so a board cannot promise what the gate
-- refuses: a later decided round that postponed or rejected the item is the authority on it.
CREATE FUNCTION gate_round(before_quarter text) RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT id FROM round
    WHERE phase = 'decided' AND (before_quarter IS NULL OR quarter < before_quarter)
    ORDER BY quarter DESC, decided_at DESC
    LIMIT 1
$$;
