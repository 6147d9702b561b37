"""Facts derived from the product data and the law data: pure functions, no rendering.

Rules, documents and the report ask these modules the same questions ("when does this
certificate end?", "which route does this product take?", "what are the fees?"), so that
what a rule reports, what a document prints and what the report shows always agree.
Imports run one way: schema and law → domain → documents and rules.
"""
