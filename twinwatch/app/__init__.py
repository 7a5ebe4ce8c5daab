"""The application: the `twinwatch` command and the wiring that runs the stages in order.

`cli` and `commands/` parse what a person types and print; `pipeline.run_once` owns the order
crawl → read page → prefilter → extract → store, and `scheduler` only calls it; `parallel` and
`backfill/` run the same steps across processes. `inputs` fetches the URLs of `twinwatch
extract` through the crawler and `extraction` hands what it read to the extractor;
`retrieval` turns a fetched page's transport facts into the store's own record. `demo/` is the
offline demo site. This is the only layer that may import every stage.
"""
