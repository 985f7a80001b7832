"""SQLModel tables; importing this package registers all of them on the metadata."""

from monitor.alerts.models import ALERT_STATUSES, Alert, AlertPublic, Delivery
from monitor.feeds.models import Feed, FeedCreate, FeedHealth, FeedPublic, FeedUpdate
from monitor.incidents.models import (
    INCIDENT_STATUSES,
    Incident,
    IncidentPublic,
    IncidentSource,
    incident_document,
)
from monitor.models.apikey import ROLES, ApiKey
from monitor.models.buyer import (
    SEVERITIES,
    Buyer,
    BuyerCreate,
    BuyerCreated,
    BuyerPublic,
    BuyerUpdate,
)
from monitor.models.item import SeenItem
from monitor.models.watch import (
    Site,
    Watch,
    WatchChange,
    WatchCreate,
    WatchPublic,
    WatchUpdate,
)
from monitor.suppliers.models import BuyerSupplier, Supplier, SupplierMaterial

__all__ = [
    "ALERT_STATUSES",
    "INCIDENT_STATUSES",
    "ROLES",
    "SEVERITIES",
    "Alert",
    "AlertPublic",
    "ApiKey",
    "Buyer",
    "BuyerCreate",
    "BuyerCreated",
    "BuyerPublic",
    "BuyerSupplier",
    "BuyerUpdate",
    "Delivery",
    "Feed",
    "FeedCreate",
    "FeedHealth",
    "FeedPublic",
    "FeedUpdate",
    "Incident",
    "IncidentPublic",
    "IncidentSource",
    "SeenItem",
    "Site",
    "Supplier",
    "SupplierMaterial",
    "Watch",
    "WatchChange",
    "WatchCreate",
    "WatchPublic",
    "WatchUpdate",
    "incident_document",
]
