"""Every table of studiosync gathered on one metadata, for migrations and schema checks."""

from studiosync.accounts import models as accounts_models
from studiosync.studio import models as studio_models

metadata = studio_models.Base.metadata

__all__ = ["accounts_models", "metadata", "studio_models"]
