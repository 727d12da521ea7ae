"""Static files as production serves them."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed and compressed; the player's ES modules import each other by their hashed names
    too, so a browser never runs modules from two releases together."""

    support_js_module_import_aggregation = True
