; Inno Setup script for Windows (run after PyInstaller, which builds dist\ontkoppel-desktop-VERSION):
;   pyinstaller --noconfirm installer\ontkoppel-desktop.spec
;   iscc /DAppVersion=0.1.0 installer\ontkoppel-desktop.iss
; Installs per machine, in Dutch, and runs the self-test before it reports success.
; The folder holds two programs on the same files: ontkoppel-desktop.exe, the app without a console window
; (the shortcuts open it), and ontkoppel-desktop-console.exe for the headless commands (koppel, --self-test,
; --version), which print and ask for a wachtwoord in the console they are started from.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6C3F0E52-8E0B-4C2A-9D4B-0A6F3E2B7C11}
AppName=Ontkoppel Desktop
AppVersion={#AppVersion}
AppPublisher=Huisartsopleiding
DefaultDirName={autopf}\Ontkoppel Desktop
DefaultGroupName=Ontkoppel Desktop
OutputBaseFilename=OntkoppelDesktop-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
PrivilegesRequired=admin
ArchitecturesInstallIn64BitMode=x64compatible
ShowLanguageDialog=no

[Languages]
Name: "nl"; MessagesFile: "compiler:Languages\Dutch.isl"

[Files]
; Both programs and their shared _internal folder.
Source: "..\dist\ontkoppel-desktop-{#AppVersion}\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Ontkoppel Desktop"; Filename: "{app}\ontkoppel-desktop.exe"
Name: "{autodesktop}\Ontkoppel Desktop"; Filename: "{app}\ontkoppel-desktop.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Snelkoppeling op het bureaublad"; Flags: unchecked

[Code]
// The self-test creates an encrypted store in a temporary folder and checks that nothing readable stays.
// Run through the console program: it is the one meant for headless commands (its window stays hidden).
function SelfTestPassed(): Boolean;
var
  ResultCode: Integer;
begin
  Result := Exec(ExpandConstant('{app}\ontkoppel-desktop-console.exe'), '--self-test', '', SW_HIDE,
                 ewWaitUntilTerminated, ResultCode) and (ResultCode = 0);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if (CurStep = ssPostInstall) and not SelfTestPassed() then
    MsgBox('De zelftest van Ontkoppel Desktop is mislukt. Neem contact op met de applicatiebeheerder; '
         + 'gebruik de app niet voor vertrouwelijke gegevens tot dit is opgelost.', mbCriticalError, MB_OK);
end;
