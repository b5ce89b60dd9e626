-- The one-time ids of create forms (operation::submission). A create form carries a UUID made
-- when it was rendered; the create operation inserts it here in the same transaction as what it
-- creates, so a second post of the same form (a double click, a retried request) finds it and
-- saves nothing again. `created` is what the first post created, for answering the second with
-- the same page. Rows older than a few days are deleted by the hourly cleanup.
CREATE TABLE form_submission (
    id      uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES app_user (id),
    at      timestamptz NOT NULL DEFAULT now(),
    created uuid
);
CREATE INDEX form_submission_at_idx ON form_submission (at);

-- An order's reference (the purchase order or case number) names one order of an item: the same
-- reference twice on one item is the same order registered twice.
ALTER TABLE portfolio_order
    ADD CONSTRAINT portfolio_order_reference_per_item UNIQUE (item_id, reference);
