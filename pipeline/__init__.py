"""ketluan: Vietnamese meeting conclusions (Kết luận, Thông báo kết luận) to comparable tables."""

from .api import RunSummary, analyze, load, process, run
from .config import Settings
from .records import Document

__all__ = ["process", "run", "analyze", "load", "Document", "Settings", "RunSummary"]
