"""Korean language processing of one document's sentences, before any rule runs.

In: text. Out: sentences with character offsets (`sentences`), Kiwi's morphemes and a spaCy
pipeline over them (`pipeline`), clauses of a sentence (`clauses`) and place mentions resolved
against the gazetteer (`places`).
"""
