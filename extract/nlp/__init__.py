"""Korean language processing of one document's sentences, before any rule runs.

In: text. Out: sentences with character offsets (`sentences`), Kiwi's morphemes and the spaCy
tokenizer and ruler patterns made of them (`pipeline`), the clauses of a sentence (`clauses`)
and place mentions resolved against the gazetteer (`places`, reading words against the
surface forms of `place_index`).
"""
