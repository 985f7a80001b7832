"""Every table model in one place: importing this package registers them all on the metadata
(for Alembic and the tests). The models live in their domains (`monitor/alerts/models.py` …);
API keys are in `monitor/keys/`; only the seen-items table, of no domain, is here."""

from monitor.alerts.models import ALERT_STATUSES, Alert, AlertPublic, Delivery
from monitor.buyers.models import (
    Buyer,
    BuyerCreate,
    BuyerCreated,
    BuyerPublic,
    BuyerUpdate,
    Destination,
    Site,
    Watch,
    WatchChange,
    WatchCreate,
    WatchPublic,
    WatchUpdate,
)
from monitor.feedback.models import AlertFeedback, MissedEvent
from monitor.feeds.models import (
    Feed,
    FeedCreate,
    FeedHealth,
    FeedPublic,
    FeedUpdate,
    WebSubSubscription,
)
from monitor.incidents.models import (
    INCIDENT_STATUSES,
    Incident,
    IncidentPublic,
    IncidentSource,
    incident_document,
)
from monitor.keys.models import ROLES, ApiKey
from monitor.models.item import SeenItem
from monitor.suppliers.models import BuyerSupplier, Supplier, SupplierMaterial

__all__ = [
    "ALERT_STATUSES",
    "INCIDENT_STATUSES",
    "ROLES",
    "Alert",
    "AlertFeedback",
    "AlertPublic",
    "ApiKey",
    "Buyer",
    "BuyerCreate",
    "BuyerCreated",
    "BuyerPublic",
    "BuyerSupplier",
    "BuyerUpdate",
    "Delivery",
    "Destination",
    "Feed",
    "FeedCreate",
    "FeedHealth",
    "FeedPublic",
    "FeedUpdate",
    "Incident",
    "IncidentPublic",
    "IncidentSource",
    "MissedEvent",
    "SeenItem",
    "Site",
    "Supplier",
    "SupplierMaterial",
    "Watch",
    "WatchChange",
    "WatchCreate",
    "WatchPublic",
    "WatchUpdate",
    "WebSubSubscription",
    "incident_document",
]
