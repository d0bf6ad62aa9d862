"""What the page cache keeps for this app: the key of the cached topic statistics.

The content generation row itself belongs to the `pagecache` app
(`pagecache.models.ContentGeneration`); it is re-exported from `articles.models`
for the code and tests that name it there.
"""

TOPIC_STATS_CACHE_KEY = "topics:stats:v3"  # v3: counts per language too
