; Inno Setup script for zdesk on Windows: a per-user install, no administrator rights needed.
; Built by `python packaging/build.py`, which passes the version from zdesk/__init__.py:
;   iscc /DAppVersion=0.1.0 packaging\windows\zdesk.iss
; Silent install for IT (per user):   zdesk-setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Silent uninstall:                    "%LOCALAPPDATA%\Programs\zdesk\unins000.exe" /VERYSILENT

#ifndef AppVersion
  #error "Pass the version: iscc /DAppVersion=<version> (packaging/build.py does this)"
#endif

[Setup]
AppId={{6C1E8B0A-4F0B-4B7B-9E55-2D1A5C0F7A31}
AppName=zdesk
AppVersion={#AppVersion}
AppVerName=zdesk {#AppVersion}
AppPublisher=zdesk
DefaultDirName={localappdata}\Programs\zdesk
DefaultGroupName=zdesk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=zdesk-setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\zdesk.ico
UninstallDisplayIcon={app}\zdesk.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible
ShowLanguageDialog=no

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"

[Tasks]
Name: "desktopicon"; Description: "Snelkoppeling op het bureaublad"; GroupDescription: "Extra:"; Flags: unchecked

[Files]
Source: "..\..\dist\zdesk\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{userprograms}\zdesk"; Filename: "{app}\zdesk.exe"; WorkingDir: "{app}"
Name: "{userdesktop}\zdesk"; Filename: "{app}\zdesk.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\zdesk.exe"; Description: "zdesk starten"; Flags: nowait postinstall skipifsilent

; Settings and logs stay in the user's profile after an uninstall (they hold no secrets; tokens are
; in the Windows Credential Manager). The uninstaller removes only the program folder.
