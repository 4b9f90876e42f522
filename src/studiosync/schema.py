"""Every table of studiosync gathered on one metadata, for migrations and schema checks."""

from studiosync.accounts import models as accounts_models
from studiosync.control import models as control_models
from studiosync.studio import logins as studio_logins
from studiosync.studio import models as studio_models
from studiosync.syncstate import models as syncstate_models

metadata = studio_models.Base.metadata

__all__ = [
    "accounts_models",
    "control_models",
    "metadata",
    "studio_logins",
    "studio_models",
    "syncstate_models",
]
