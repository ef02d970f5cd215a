"""Named errors; each message says what to do about it."""

from __future__ import annotations


class NewsflowError(Exception):
    """Base class for errors newsflow reports to the user."""


class InputDirError(NewsflowError):
    def __init__(self, path: object):
        super().__init__(f"input {path} does not exist or is not a folder or an input file; pass a folder of "
                         "articles (.txt .md .html .jsonl .csv .parquet) or one such file")


class ModelLoadError(NewsflowError):
    def __init__(self, model: str, reason: str):
        self.model = model
        super().__init__(f"model {model!r} cannot be loaded: {reason}. Fix: pass a local folder or an "
                         "installed Hub id with safetensors weights, or use the embedded default")


class LabelMappingError(NewsflowError):
    def __init__(self, model: str, labels: object):
        super().__init__(f"model {model!r} has labels {labels!r}, which cannot be mapped onto "
                         "positive/negative/neutral; pick a sentiment model whose id2label names them")


class OutputLockedError(NewsflowError):
    def __init__(self, output_dir: object):
        super().__init__(f"another newsflow run is writing {output_dir}; wait for it to finish "
                         "(or pass --wait) and try again")


class DeviceUnavailableError(NewsflowError):
    def __init__(self, device: str, reason: str):
        self.device = device
        super().__init__(f"device {device!r} cannot be used: {reason}. Fix: pass --device cpu (or --device "
                         "auto, which takes a GPU only when torch sees one), or run where a CUDA build of "
                         "torch sees a GPU")


class OutputNotWritableError(NewsflowError):
    def __init__(self, path: object, reason: str = "permission denied"):
        super().__init__(f"output folder {path} is not writable ({reason}); pass --out with a folder you can "
                         "write to, or fix its permissions")


class DiskFullError(NewsflowError):
    def __init__(self, path: object, committed: int | None = None):
        done = (f"{committed} document(s) of this run were committed (readable now), the rest was not; "
                if committed is not None else "nothing half-written is kept; ")
        super().__init__(f"no space left on the device while writing {path}; {done}free some space and run "
                         "the same command again: it resumes where this run stopped (committed documents "
                         "are skipped)")


class PrefectApiUnreachableError(NewsflowError):
    def __init__(self, url: str):
        super().__init__(f"PREFECT_API_URL is {url}, but no Prefect server answers there. Fix: start it with "
                         "`newsflow ui`, or unset PREFECT_API_URL (runs then use a temporary local server)")


class OutputSchemaTooNewError(NewsflowError):
    def __init__(self, path: object, found: str, supported: str):
        super().__init__(f"{path} was written with newsflow output schema {found}, newer than this newsflow's "
                         f"schema {supported}; nothing was written. Upgrade newsflow, or pass --out with "
                         "another folder")
