"""The studio: its data model, the services that change it, and the appointment change feed."""

from studiosync.studio import feed as feed  # installs the change-feed flush hooks
