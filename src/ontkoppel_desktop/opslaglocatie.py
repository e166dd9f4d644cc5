"""Where a store may live: on a disk of this computer, not on a network share and preferably not in a synced folder.

A store is one SQLite file in WAL mode beside its key file. WAL needs shared memory and byte-range locks that
network file systems (SMB/CIFS, NFS, sshfs, ...) do not provide reliably, so two computers can write at once and
damage the file: such a folder is refused. A sync client (OneDrive, Dropbox, ...) copies the file while it is
written, can put back an older or half copy, and puts a confidential file in the cloud: such a folder is warned
about. No Qt: the app and the headless commands ask the same question.

The mount table, the environment and the Windows drive type can be passed in, so tests judge any path on any OS.
"""

from __future__ import annotations

import ntpath
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath


class Soort(StrEnum):
    LOKAAL = "lokaal"
    NETWERK = "netwerk"
    GESYNCHRONISEERD = "gesynchroniseerd"


@dataclass(frozen=True)
class Oordeel:
    """What a folder is, and why that matters, in Dutch (`reden` is empty for a local folder)."""

    soort: Soort
    map: str
    reden: str = ""

    @property
    def lokaal(self) -> bool:
        return self.soort is Soort.LOKAAL

    def melding_openen(self) -> str:
        if self.soort is Soort.NETWERK:
            return (f"{self.reden} Kopieer het databasebestand en het sleutelbestand samen naar een map op deze "
                    "computer (niet in OneDrive, Dropbox of een andere gesynchroniseerde map) en open het daar.")
        if self.soort is Soort.GESYNCHRONISEERD:
            return (f"{self.reden} Zet het databasebestand met het sleutelbestand liever in een map op deze "
                    "computer die niet wordt gesynchroniseerd.")
        return ""

    def melding_maken(self) -> str:
        if self.soort is Soort.NETWERK:
            return (f"{self.reden} Kies een map op deze computer (niet in OneDrive, Dropbox of een andere "
                    "gesynchroniseerde map).")
        if self.soort is Soort.GESYNCHRONISEERD:
            return f"{self.reden} Kies liever een map op deze computer die niet wordt gesynchroniseerd."
        return ""


_WAAROM_NETWERK = (
    "Op een netwerkmap kan de opslag niet staan: de database houdt een logboek (WAL) bij en vergrendelt het "
    "bestand, en dat werkt niet betrouwbaar over een netwerkverbinding. Twee computers kunnen dan tegelijk in "
    "het bestand schrijven en het beschadigen."
)
_WAAROM_SYNC = (
    "Zo'n programma kopieert het bestand terwijl Ontkoppel Desktop erin schrijft, en kan een oudere of half "
    "gekopieerde versie terugzetten: dan raakt de opslag beschadigd of verdwijnen wijzigingen. Bovendien komt "
    "het vertrouwelijke bestand zo in de cloud te staan."
)

# File-system types (as /proc/mounts and macOS `mount` name them) whose files live on another machine.
NETWERK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smb2", "smbfs", "ncpfs", "afs", "openafs", "coda", "ceph", "glusterfs",
    "lustre", "gpfs", "beegfs", "9p", "davfs", "webdav", "afpfs", "vboxsf", "prl_fs", "sshfs",
    "fuse.sshfs", "fuse.glusterfs", "fuse.ceph-fuse", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse",
    "fuse.davfs2", "fuse.smbnetfs", "fuse.curlftpfs", "fuse.gvfsd-fuse", "fuse.juicefs", "fuse.seaweedfs",
})

_DRIVE_REMOTE = 4  # GetDriveTypeW

# Folder names sync clients give their folder, matched against every component of the path (case-insensitive).
_SYNC_NAMEN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(patroon, re.IGNORECASE), dienst)
    for patroon, dienst in (
        (r"onedrive( ?[-–] ?.+)?", "OneDrive"),  # "OneDrive", "OneDrive - Organisatie", macOS "OneDrive-Persoonlijk"
        (r"dropbox( \(.+\))?|dropbox-.+", "Dropbox"),  # "Dropbox", "Dropbox (Organisatie)"
        (r"google ?drive( .*)?|googledrive-.+|my drive|mijn drive|gedeelde drives|shared drives", "Google Drive"),
        (r"icloud ?drive( .*)?|com~apple~clouddocs|mobile documents", "iCloud Drive"),
        (r"nextcloud\d*( .*)?", "Nextcloud"),
        (r"owncloud\d*( .*)?", "ownCloud"),
        (r"box sync|box-box", "Box"),
        (r"pcloud ?drive", "pCloud"),
        (r"megasync", "MEGA"),
        (r"synologydrive|synology drive", "Synology Drive"),
        (r"seafile", "Seafile"),
    )
)
# Names too common to mean a sync client anywhere: only directly in the user's home folder.
_SYNC_NAMEN_IN_THUIS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"box", re.IGNORECASE), "Box"),
    (re.compile(r"sync", re.IGNORECASE), "Sync.com of Syncthing"),
    (re.compile(r"mega", re.IGNORECASE), "MEGA"),
)
# macOS puts every File Provider sync client (OneDrive, Dropbox, Google Drive, Box) below ~/Library/CloudStorage.
_CLOUDSTORAGE = re.compile(r"cloudstorage", re.IGNORECASE)
_ONEDRIVE_OMGEVING = ("OneDrive", "OneDriveCommercial", "OneDriveConsumer")


def beoordeel_opslag(
    opslag: str | PurePath,
    *,
    windows: bool | None = None,
    mounts: str | None = None,
    omgeving: Mapping[str, str] | None = None,
    schijftype: Callable[[str], int] | None = None,
) -> Oordeel:
    """Judge the folder a store file is (or will be) in; see `beoordeel` for the injectable parts."""
    windows = _is_windows(opslag, windows)
    ouder = (PureWindowsPath if windows else PurePosixPath)(str(opslag)).parent
    return beoordeel(ouder, windows=windows, mounts=mounts, omgeving=omgeving, schijftype=schijftype)


def beoordeel(
    map_pad: str | PurePath,
    *,
    windows: bool | None = None,
    mounts: str | None = None,
    omgeving: Mapping[str, str] | None = None,
    schijftype: Callable[[str], int] | None = None,
) -> Oordeel:
    """Local, network or synced.

    `windows` chooses the path rules (default: this OS, or Windows for a PureWindowsPath); `mounts` is the text
    of /proc/mounts or of macOS `mount` (default: read from this system); `omgeving` the environment;
    `schijftype` GetDriveTypeW (default: the real one on Windows, none elsewhere). A path of this system is
    resolved first (symlinks, and on Windows a mapped drive to its UNC name).
    """
    windows = _is_windows(map_pad, windows)
    omgeving = os.environ if omgeving is None else omgeving
    eigen_systeem = windows == (os.name == "nt")
    tekst = str(map_pad)
    if eigen_systeem:
        tekst = os.path.realpath(os.path.abspath(os.path.expanduser(tekst)))
    if windows:
        netwerk = _netwerk_windows(tekst, schijftype if schijftype is not None or not eigen_systeem
                                   else _get_drive_type)
        pad: PurePath = PureWindowsPath(_zonder_lang_voorvoegsel(tekst.replace("/", "\\")))
    else:
        netwerk = _netwerk_posix(tekst, systeem_mounts() if mounts is None else mounts)
        pad = PurePosixPath(tekst)
    if netwerk:
        return Oordeel(Soort.NETWERK, tekst, f"De map {tekst} staat op {netwerk}. {_WAAROM_NETWERK}")
    dienst = _sync_dienst(pad, omgeving, windows)
    if dienst:
        return Oordeel(Soort.GESYNCHRONISEERD, tekst,
                       f"De map {tekst} wordt gesynchroniseerd door {dienst}. {_WAAROM_SYNC}")
    return Oordeel(Soort.LOKAAL, tekst)


def _is_windows(pad: object, windows: object) -> bool:
    if isinstance(windows, bool):
        return windows
    if isinstance(pad, PureWindowsPath):
        return True
    if isinstance(pad, PurePosixPath):
        return False
    return os.name == "nt"


# ---- network -----------------------------------------------------------------------------------------------------

def _zonder_lang_voorvoegsel(tekst: str) -> str:
    r"""`\\?\C:\x` is `C:\x` and `\\?\UNC\server\share` is `\\server\share` (also with `\\.\`)."""
    for voorvoegsel in ("\\\\?\\", "\\\\.\\"):
        if tekst.startswith(voorvoegsel):
            rest = tekst[len(voorvoegsel):]
            if rest[:4].upper() == "UNC\\":
                return "\\\\" + rest[4:]
            return rest
    return tekst


def _netwerk_windows(tekst: str, schijftype: Callable[[str], int] | None) -> str:
    tekst = _zonder_lang_voorvoegsel(tekst.replace("/", "\\"))
    drive, _ = ntpath.splitdrive(tekst)
    if drive.startswith("\\\\"):
        return f"de netwerkmap {drive}"
    if len(drive) == 2 and drive[1] == ":" and schijftype is not None and schijftype(drive + "\\") == _DRIVE_REMOTE:
        return f"de netwerkschijf {drive.upper()}"
    return ""


def _get_drive_type(root: str) -> int:
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return 0
    return int(windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))


_PROC = re.compile(r"^(\S+)\s+(\S+)\s+(\S+)\s")
_BSD = re.compile(r"^(.+?) on (/.*?) \(([^,)]+)")
_OCTAL = re.compile(r"\\([0-7]{3})")


def mount_tabel(tekst: str) -> list[tuple[str, str]]:
    """(mount point, file-system type) for each line of /proc/mounts or of macOS/BSD `mount`, in order."""
    tabel: list[tuple[str, str]] = []
    for regel in tekst.splitlines():
        if m := _BSD.match(regel):
            tabel.append((m[2], m[3].strip().lower()))
        elif m := _PROC.match(regel + " "):
            punt = _OCTAL.sub(lambda o: chr(int(o[1], 8)), m[2])  # /proc/mounts writes a space as \040
            tabel.append((punt, m[3].lower()))
    return tabel


def _netwerk_posix(tekst: str, mounts: str) -> str:
    beste: tuple[str, str] | None = None
    for punt, soort in mount_tabel(mounts):
        binnen = punt == "/" or tekst == punt or tekst.startswith(punt.rstrip("/") + "/")
        # The longest mount point holds the path; of equal ones the later mount covers the earlier.
        if binnen and (beste is None or len(punt) >= len(beste[0])):
            beste = (punt, soort)
    if beste is None or beste[1] not in NETWERK_TYPES:
        return ""
    return f"een netwerkkoppeling ({beste[1]}, gekoppeld op {beste[0]})"


def systeem_mounts() -> str:
    """This system's mount table as text: /proc/self/mounts on Linux, `mount` on macOS (empty on Windows)."""
    for bron in ("/proc/self/mounts", "/proc/mounts"):
        try:
            return Path(bron).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
    if sys.platform == "darwin" or "bsd" in sys.platform:
        try:
            return subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=5, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            return ""
    return ""


# ---- synced ------------------------------------------------------------------------------------------------------

def _sync_dienst(pad: PurePath, omgeving: Mapping[str, str], windows: bool) -> str:
    soort = PureWindowsPath if windows else PurePosixPath

    def gelijk(a: str, b: str) -> bool:
        return a.casefold() == b.casefold() if windows else a == b

    def binnen(map_tekst: str) -> bool:
        if not map_tekst:
            return False
        delen = soort(map_tekst).parts
        return len(pad.parts) >= len(delen) and all(gelijk(a, b) for a, b in zip(pad.parts, delen, strict=False))

    for naam in _ONEDRIVE_OMGEVING:
        if binnen(omgeving.get(naam, "")):
            return "OneDrive"
    delen = pad.parts
    for i, deel in enumerate(delen):
        if i > 0 and _CLOUDSTORAGE.fullmatch(delen[i - 1]) and i >= 2 and delen[i - 2].lower() == "library":
            return _dienst_naam(deel) or deel.split("-")[0]
        if dienst := _dienst_naam(deel):
            return dienst
    thuis = omgeving.get("USERPROFILE" if windows else "HOME", "")
    if thuis and binnen(thuis):
        diepte = len(soort(thuis).parts)
        if len(delen) > diepte:
            for patroon, dienst in _SYNC_NAMEN_IN_THUIS:
                if patroon.fullmatch(delen[diepte]):
                    return dienst
    return ""


def _dienst_naam(deel: str) -> str:
    for patroon, dienst in _SYNC_NAMEN:
        if patroon.fullmatch(deel):
            return dienst
    return ""


__all__ = ["NETWERK_TYPES", "Oordeel", "Soort", "beoordeel", "beoordeel_opslag", "mount_tabel", "systeem_mounts"]
