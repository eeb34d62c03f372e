; Inno Setup script for zdesk on Windows: a per-user install, no administrator rights needed.
; Built by `python packaging/build.py`, which passes the version from zdesk/__init__.py:
;   iscc /DAppVersion=0.1.0 packaging\windows\zdesk.iss
; Silent install for IT (per user):   zdesk-setup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Silent uninstall, keeping the data:  "%LOCALAPPDATA%\Programs\zdesk\unins000.exe" /VERYSILENT
; Silent uninstall, removing the data: ... unins000.exe /VERYSILENT /VERWIJDERGEGEVENS
; An interactive uninstall asks whether to remove zdesk's own data as well (default: keep it).

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

[Code]
// zdesk's own data: the tokens and history keys it put in the Windows Credential Manager, and
// %LOCALAPPDATA%\zdesk (settings, the encrypted history, logs, cache). `zdesk.exe remove-data`
// removes exactly that (zdesk/store/removal.py); it runs while the program folder still exists.
var
  RemoveData: Boolean;

function HasSwitch(const Name: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), Name) = 0 then
      Result := True;
end;

function InitializeUninstall(): Boolean;
begin
  RemoveData := HasSwitch('/VERWIJDERGEGEVENS');
  Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Code: Integer;
begin
  if CurUninstallStep <> usUninstall then
    exit;
  if not UninstallSilent and not RemoveData then
    RemoveData := MsgBox(
      'Wilt u ook de gegevens van zdesk op deze computer verwijderen?' + #13#10#13#10 +
      'Dat zijn de opgeslagen koppelingen (tokens in Referentiebeheer), de geschiedenis van ' +
      'ladingen, de instellingen en de logbestanden. Kies Nee om ze te bewaren, bijvoorbeeld ' +
      'voor een nieuwere versie van zdesk.',
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  if not RemoveData then
    exit;
  if not Exec(ExpandConstant('{app}\zdesk.exe'), 'remove-data', '', SW_HIDE,
              ewWaitUntilTerminated, Code) or (Code <> 0) then
  begin
    Log(Format('zdesk remove-data: exitcode %d', [Code]));
    if not UninstallSilent then
      MsgBox('Niet alle gegevens van zdesk konden worden verwijderd. Sluit zdesk als het nog ' +
             'open is; wat overbleef staat in %LOCALAPPDATA%\zdesk en in Referentiebeheer ' +
             '(Windows-referenties zdesk, zdesk-history en <portaal>@zdesk...).', mbInformation, MB_OK);
  end;
  // A second try at what zdesk.exe could not remove (a log file still open a moment ago).
  DelTree(ExpandConstant('{localappdata}\zdesk'), True, True, True);
end;
