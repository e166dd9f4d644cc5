"""Where a store may live (issue 12, defect 8): a network folder is refused, a synced folder warned about, a folder on
this computer's own disk is fine. Judged with an injected mount table, environment and drive type, so every case
runs on every OS."""

from __future__ import annotations

import subprocess
import sys
from pathlib import PurePosixPath, PureWindowsPath

import pytest

from ontkoppel_desktop.opslaglocatie import Soort, beoordeel, beoordeel_opslag, mount_tabel

MOUNTS = """\
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
//nas.praktijk.local/team /mnt/team cifs rw,vers=3.1.1,cache=strict 0 0
/dev/sdb1 /mnt/team/usb ext4 rw,relatime 0 0
nas:/export/opleiding /home/jan/Gedeelde\\040map nfs4 rw,vers=4.2 0 0
jan@server:/srv /media/server fuse.sshfs rw,nosuid,nodev 0 0
tmpfs /media/server/scratch tmpfs rw 0 0
//nas/oud /mnt/teamarchief smb3 rw 0 0
"""

MACOS_MOUNT = """\
/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse)
//jan@nas._smb._tcp.local/Team on /Volumes/Team (smbfs, nodev, nosuid, mounted by jan)
nas:/export on /Volumes/NFS map (nfs, nodev, nosuid)
"""

THUIS = {"HOME": "/home/jan"}


def _posix(pad: str, omgeving: dict[str, str] | None = None, mounts: str = MOUNTS) -> Soort:
    return beoordeel_opslag(PurePosixPath(pad), mounts=mounts, omgeving=omgeving or THUIS).soort


def _windows(pad: str, omgeving: dict[str, str] | None = None, netwerkschijven: str = "") -> Soort:
    def schijftype(root: str) -> int:
        return 4 if root[0] in netwerkschijven else 3  # DRIVE_REMOTE, DRIVE_FIXED

    return beoordeel_opslag(PureWindowsPath(pad), omgeving=omgeving or {"USERPROFILE": r"C:\Users\jan"},
                            schijftype=schijftype).soort


@pytest.mark.parametrize("pad", [
    r"\\nas\team\Opleiding\werk.okdb",
    r"\\nas.praktijk.local\team$\werk.okdb",
    r"\\?\UNC\nas\team\Opleiding\werk.okdb",
    r"\\.\UNC\nas\team\werk.okdb",
    "//nas/team/werk.okdb",
    r"\\wsl.localhost\Ubuntu\home\jan\werk.okdb",
    r"Z:\Opleiding\werk.okdb",
    r"\\?\Z:\Opleiding\werk.okdb",
    r"z:\werk.okdb",
])
def test_windows_network_paths_are_refused(pad: str) -> None:
    assert _windows(pad, netwerkschijven="Zz") is Soort.NETWERK


@pytest.mark.parametrize("pad", [
    r"C:\Users\jan\Documents\werk.okdb",
    r"\\?\C:\Users\jan\Documents\werk.okdb",
    r"D:\Opleiding\werk.okdb",
])
def test_windows_local_paths_are_fine(pad: str) -> None:
    assert _windows(pad, netwerkschijven="Z") is Soort.LOKAAL


def test_the_network_reason_says_where_and_why_in_dutch() -> None:
    oordeel = beoordeel_opslag(PureWindowsPath(r"\\nas\team\Opleiding\werk.okdb"), omgeving={})
    assert oordeel.soort is Soort.NETWERK
    melding = oordeel.melding_openen()
    assert r"\\nas\team" in melding and "netwerk" in melding and "WAL" in melding
    assert "twee computers" in melding.lower() and "beschadig" in melding
    assert "\n" not in melding  # one line for the headless command
    schijf = beoordeel_opslag(PureWindowsPath(r"Z:\werk.okdb"), omgeving={}, schijftype=lambda root: 4)
    assert "netwerkschijf Z:" in schijf.melding_maken()


@pytest.mark.parametrize(("pad", "soort"), [
    ("/mnt/team/Opleiding/werk.okdb", Soort.NETWERK),  # cifs
    ("/mnt/team/werk.okdb", Soort.NETWERK),
    ("/mnt/team/usb/werk.okdb", Soort.LOKAAL),  # a local disk mounted inside the share: the longest prefix wins
    ("/mnt/teamarchief/werk.okdb", Soort.NETWERK),  # smb3, its own mount, not /mnt/team
    ("/mnt/teamplanning/werk.okdb", Soort.LOKAAL),  # /mnt/team is no prefix of /mnt/teamplanning
    ("/home/jan/Gedeelde map/werk.okdb", Soort.NETWERK),  # nfs4, with the \040 of /proc/mounts
    ("/home/jan/Gedeelde map/sub/werk.okdb", Soort.NETWERK),
    ("/media/server/werk.okdb", Soort.NETWERK),  # fuse.sshfs
    ("/media/server/scratch/werk.okdb", Soort.LOKAAL),  # tmpfs inside it
    ("/home/jan/Documenten/werk.okdb", Soort.LOKAAL),
])
def test_linux_mounts_longest_mount_point_wins(pad: str, soort: Soort) -> None:
    assert _posix(pad) is soort


def test_a_later_mount_on_the_same_point_covers_the_earlier() -> None:
    mounts = MOUNTS + "//nas/x /home/jan/Werk cifs rw 0 0\n/dev/sdc1 /home/jan/Werk ext4 rw 0 0\n"
    assert _posix("/home/jan/Werk/werk.okdb", mounts=mounts) is Soort.LOKAAL
    mounts = MOUNTS + "/dev/sdc1 /home/jan/Werk ext4 rw 0 0\n//nas/x /home/jan/Werk cifs rw 0 0\n"
    assert _posix("/home/jan/Werk/werk.okdb", mounts=mounts) is Soort.NETWERK


def test_the_linux_reason_names_the_file_system_and_mount_point() -> None:
    oordeel = beoordeel_opslag(PurePosixPath("/media/server/werk.okdb"), mounts=MOUNTS, omgeving={})
    assert "fuse.sshfs" in oordeel.reden and "/media/server" in oordeel.reden


def test_macos_mount_output() -> None:
    assert mount_tabel(MACOS_MOUNT)[2] == ("/Volumes/Team", "smbfs")
    assert _posix("/Volumes/Team/werk.okdb", mounts=MACOS_MOUNT) is Soort.NETWERK
    assert _posix("/Volumes/NFS map/werk.okdb", mounts=MACOS_MOUNT) is Soort.NETWERK
    assert _posix("/Users/jan/Documents/werk.okdb", mounts=MACOS_MOUNT) is Soort.LOKAAL


def test_the_onedrive_environment_variables_mark_their_folder() -> None:
    for naam in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer"):
        omgeving = {naam: r"C:\Users\jan\Werkmap van het instituut"}
        assert _windows(r"C:\Users\jan\Werkmap van het instituut\Opleiding\werk.okdb", omgeving) is \
            Soort.GESYNCHRONISEERD
        assert _windows(r"c:\users\JAN\werkmap van het instituut\werk.okdb", omgeving) is Soort.GESYNCHRONISEERD
        assert _windows(r"C:\Users\jan\Werkmap\werk.okdb", omgeving) is Soort.LOKAAL
    oordeel = beoordeel_opslag(PureWindowsPath(r"E:\Sync\werk.okdb"), omgeving={"OneDrive": r"E:\Sync"},
                               schijftype=lambda root: 3)
    assert "OneDrive" in oordeel.reden


@pytest.mark.parametrize(("pad", "dienst"), [
    (r"C:\Users\jan\OneDrive\Documenten\werk.okdb", "OneDrive"),
    (r"C:\Users\jan\OneDrive - Radboudumc\Opleiding\werk.okdb", "OneDrive"),
    (r"C:\Users\jan\Dropbox\werk.okdb", "Dropbox"),
    (r"C:\Users\jan\Dropbox (Huisartsopleiding)\werk.okdb", "Dropbox"),
    (r"G:\My Drive\werk.okdb", "Google Drive"),
    (r"C:\Users\jan\Google Drive\werk.okdb", "Google Drive"),
    (r"C:\Users\jan\iCloudDrive\werk.okdb", "iCloud Drive"),
    (r"C:\Users\jan\Nextcloud\werk.okdb", "Nextcloud"),
    (r"C:\Users\jan\ownCloud\werk.okdb", "ownCloud"),
    (r"C:\Users\jan\Box\werk.okdb", "Box"),
])
def test_windows_sync_client_folders_by_name(pad: str, dienst: str) -> None:
    oordeel = beoordeel_opslag(PureWindowsPath(pad), omgeving={"USERPROFILE": r"C:\Users\jan"},
                               schijftype=lambda root: 3)
    assert oordeel.soort is Soort.GESYNCHRONISEERD
    assert f"gesynchroniseerd door {dienst}" in oordeel.reden


@pytest.mark.parametrize("pad", [
    "/home/jan/Dropbox/werk.okdb",
    "/home/jan/Nextcloud/Opleiding/werk.okdb",
    "/home/jan/Sync/werk.okdb",  # Sync.com / Syncthing, directly in the home folder
    "/Users/jan/Library/CloudStorage/OneDrive-Persoonlijk/werk.okdb",
    "/Users/jan/Library/CloudStorage/GoogleDrive-jan@example.org/My Drive/werk.okdb",
    "/Users/jan/Library/Mobile Documents/com~apple~CloudDocs/werk.okdb",
])
def test_posix_sync_client_folders_by_name(pad: str) -> None:
    assert _posix(pad, {"HOME": "/home/jan"} if pad.startswith("/home") else {"HOME": "/Users/jan"}) is \
        Soort.GESYNCHRONISEERD


@pytest.mark.parametrize("pad", [
    "/home/jan/Documenten/werk.okdb",
    "/home/jan/Documenten/Sync/werk.okdb",  # a folder called Sync elsewhere is just a folder
    "/srv/box/werk.okdb",
    "/home/jan/Dropboxen-oud/werk.okdb",
])
def test_posix_ordinary_folders_are_local(pad: str) -> None:
    assert _posix(pad) is Soort.LOKAAL


def test_the_sync_reason_says_why_in_dutch() -> None:
    oordeel = beoordeel_opslag(PurePosixPath("/home/jan/Dropbox/werk.okdb"), mounts=MOUNTS, omgeving=THUIS)
    melding = oordeel.melding_openen()
    assert "Dropbox" in melding and "/home/jan/Dropbox" in melding
    assert "oudere" in melding and "half" in melding and "cloud" in melding and "vertrouwelijk" in melding
    assert "\n" not in melding


def test_a_network_share_beats_a_sync_folder_name_on_it() -> None:
    assert _windows(r"\\nas\team\Dropbox\werk.okdb") is Soort.NETWERK
    assert _posix("/mnt/team/OneDrive/werk.okdb") is Soort.NETWERK


def test_a_local_folder_has_no_reason() -> None:
    oordeel = beoordeel(PurePosixPath("/home/jan/Documenten"), mounts=MOUNTS, omgeving=THUIS)
    assert oordeel.lokaal and oordeel.reden == "" and oordeel.melding_openen() == ""


def test_a_symlink_into_a_network_mount_is_followed(tmp_path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    (tmp_path / "koppeling").symlink_to(share)
    mounts = f"/dev/vda / ext4 rw 0 0\n//nas/x {share} cifs rw 0 0\n"
    assert beoordeel_opslag(tmp_path / "koppeling" / "werk.okdb", mounts=mounts, omgeving={}).soort is Soort.NETWERK
    assert beoordeel_opslag(tmp_path / "werk.okdb", mounts=mounts, omgeving={}).soort is Soort.LOKAAL


def test_the_judge_loads_no_qt() -> None:
    code = ("import sys, ontkoppel_desktop.opslaglocatie, ontkoppel_desktop.cli_archief\n"
            "sys.exit(1 if any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules) else 0)\n")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
