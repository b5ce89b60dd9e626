-- A budget line may be marked as income or credit (intäkt/kreditering). Only such a line may
-- carry a negative budget: a negative figure on an ordinary cost line is almost always a typo,
-- while a credit (a grant, a supplier's credit note) is booked as a negative amount.
ALTER TABLE budget_line ADD COLUMN income boolean NOT NULL DEFAULT false;

-- Lines entered negative before the rule keep their figures; they are what the marking is for.
UPDATE budget_line SET income = true WHERE budget < 0;

ALTER TABLE budget_line
    ADD CONSTRAINT budget_line_negative_only_income CHECK (budget >= 0 OR income);
