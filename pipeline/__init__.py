"""ketluan: Vietnamese meeting conclusions (Kết luận, Thông báo kết luận) to comparable tables."""

from .api import analyze, export, load, process, run
from .config import Settings
from .engine import RunSummary
from .records import Document

__all__ = ["process", "run", "analyze", "load", "export", "Document", "Settings", "RunSummary"]
