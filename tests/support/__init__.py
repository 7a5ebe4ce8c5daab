"""What tests of several stages share: real servers on 127.0.0.1 and builders of test data.

`paths` (the checkout, ../shared), `sites` (loopback web sites), `crawling` (a fast crawler
config, sources, feeds, sitemaps), `files` (HWP and HWPX files), `bombs` (hostile archives and
a dribbling server), `smtp` (a loopback SMTP inbox), `store` (events and pages saved into a
store), `alerts` (a filled store and alert configs), `review` (a seeded review database and a
live review server), `pipeline_site` (a news site for end-to-end crawls), `webclient` (a
logged-in session on the review page) and `engine` (the engine run on a short article).
Fixtures live in the conftest.py files.
"""
