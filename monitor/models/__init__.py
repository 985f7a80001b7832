"""SQLModel tables; importing this package registers all of them on the metadata."""

from monitor.models.buyer import SEVERITIES, Alert, Buyer, Watch
from monitor.models.feed import Feed, FeedCreate, FeedPublic
from monitor.models.incident import Incident
from monitor.models.item import SeenItem
from monitor.models.supplier import BuyerSupplier, Supplier, SupplierMaterial

__all__ = [
    "SEVERITIES",
    "Alert",
    "Buyer",
    "BuyerSupplier",
    "Feed",
    "FeedCreate",
    "FeedPublic",
    "Incident",
    "SeenItem",
    "Supplier",
    "SupplierMaterial",
    "Watch",
]
