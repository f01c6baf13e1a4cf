; The Windows installer of PSER Desk (NSIS 3, Unicode). docs/packaging.md says how to build it.
;
;   makensis /DVERSION=0.1.0 /DBUNDLE_DIR=dist\pser-desk installer\pser-desk.nsi
;
; VERSION     the version (pyproject.toml's project.version; scripts/build_bundle.sh passes it)
; BUNDLE_DIR  the PyInstaller one-folder bundle (dist\pser-desk): everything in it is installed
; OUTFILE     optional; default dist\pser-desk-VERSION-setup.exe beside the bundle
; ICON        optional; default the bundle's resources\icons\pser-desk.ico
; NOCOMPRESS  optional; store files uncompressed (CI compiles the script against the Linux
;             bundle only to check it, so it skips the minutes LZMA would take)
;
; Per-machine install into Program Files (administrator rights, 64-bit), Start-menu and
; desktop entries for all users, and an uninstaller that removes only the program's own
; files: the data folder (the database, keys, backups, logs in %LOCALAPPDATA%\PSER\pser-desk,
; outside Program Files) is never touched, neither by an upgrade nor by the uninstaller.


; 64-bit, Unicode: the installer itself runs as a 64-bit program (no 32-bit Windows layer needed).
Target amd64-unicode

!ifndef VERSION
  !error "VERSION is not defined: makensis /DVERSION=x.y.z /DBUNDLE_DIR=... pser-desk.nsi"
!endif
!ifndef BUNDLE_DIR
  !error "BUNDLE_DIR is not defined: the folder PyInstaller made (dist\pser-desk)"
!endif
!ifndef OUTFILE
  !define OUTFILE "${BUNDLE_DIR}\..\pser-desk-${VERSION}-setup.exe"
!endif
!ifndef ICON
  !define ICON "${BUNDLE_DIR}\_internal\resources\icons\pser-desk.ico"
!endif

!define APP_NAME "PSER Desk"
!define APP_EXE "pser-desk.exe"
!define CLI_EXE "pser-desk-cli.exe"
!define PUBLISHER "Punjab Socio-Economic Registry"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\PSERDesk"
!define INSTDIR_KEY "Software\PSER\PSER Desk"
; The background sender (pser-desk agent): a Task Scheduler task started at every user's
; logon, kept running (restarted a minute after a failure, no time limit).
!define AGENT_TASK "PSER Desk\Background sender"
!define AGENT_XML "agent-task.xml"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP_NAME}"
InstallDirRegKey HKLM "${INSTDIR_KEY}" "InstallDir"
RequestExecutionLevel admin
ShowInstDetails show
ShowUninstDetails show
BrandingText "${APP_NAME} ${VERSION}"
!ifdef NOCOMPRESS
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP_NAME} installer"
VIAddVersionKey /LANG=1033 "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP_NAME}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "The program will be removed. The data folder (records, keys, backups, logs) stays on this PC."

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP_NAME} needs 64-bit Windows 10 or 11."
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

; The task's definition (UTF-16 with a byte-order mark, as schtasks /XML reads it): a logon
; trigger for any user (the Users group), least privilege, one instance, never stopped for
; running long or on batteries, restarted after a failure.
Function WriteAgentTask
  FileOpen $0 "$INSTDIR\${AGENT_XML}" w
  FileWriteUTF16LE /BOM $0 '<?xml version="1.0" encoding="UTF-16"?>$\r$\n'
  FileWriteUTF16LE $0 '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">$\r$\n'
  FileWriteUTF16LE $0 '  <RegistrationInfo><Author>${PUBLISHER}</Author><Description>${APP_NAME}: sends the queue to central, asks its verdicts and heartbeats while the window is closed (pser-desk agent).</Description></RegistrationInfo>$\r$\n'
  FileWriteUTF16LE $0 '  <Triggers><LogonTrigger><Enabled>true</Enabled></LogonTrigger></Triggers>$\r$\n'
  FileWriteUTF16LE $0 '  <Principals><Principal id="Users"><GroupId>S-1-5-32-545</GroupId><RunLevel>LeastPrivilege</RunLevel></Principal></Principals>$\r$\n'
  FileWriteUTF16LE $0 '  <Settings><MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy><DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries><StopIfGoingOnBatteries>false</StopIfGoingOnBatteries><ExecutionTimeLimit>PT0S</ExecutionTimeLimit><RestartOnFailure><Interval>PT1M</Interval><Count>999</Count></RestartOnFailure><StartWhenAvailable>true</StartWhenAvailable><Enabled>true</Enabled></Settings>$\r$\n'
  FileWriteUTF16LE $0 '  <Actions Context="Users"><Exec><Command>$INSTDIR\${APP_EXE}</Command><Arguments>agent</Arguments></Exec></Actions>$\r$\n'
  FileWriteUTF16LE $0 '</Task>$\r$\n'
  FileClose $0
FunctionEnd

Section "${APP_NAME}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade: the running background sender holds the program's files; stop it first.
  ; schtasks runs hidden and without pipes: the Task Scheduler service it may start would
  ; inherit a pipe and the installer would wait for it forever (seen under Wine).
  ExecShellWait "open" "$SYSDIR\schtasks.exe" '/End /TN "${AGENT_TASK}"' SW_HIDE
  ; An upgrade replaces the program's files; stale modules of the old version go first.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE_DIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; The PSER Desk Updater service (docs/updates.md, "Windows"): LocalSystem, started on
  ; demand by the desk, keeps this per-machine installation up to date. Without it the PC
  ; could never be updated: a failure stops the install.
  nsExec::ExecToLog '"$INSTDIR\${CLI_EXE}" --data-dir "$APPDATA\PSER\service" update service-install'
  Pop $0
  ${If} $0 != 0
    SetErrorLevel 3
    Abort "The updater service could not be installed (code $0)."
  ${EndIf}

  Call WriteAgentTask
  ExecShellWait "open" "$SYSDIR\schtasks.exe" '/Create /TN "${AGENT_TASK}" /XML "$INSTDIR\${AGENT_XML}" /F' SW_HIDE
  DetailPrint "The background sender is registered in Task Scheduler: ${AGENT_TASK} (at logon)."

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\Uninstall ${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  WriteRegStr HKLM "${INSTDIR_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${INSTDIR_KEY}" "Version" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

; Only what the installer put there: never RMDir /r "$INSTDIR" (the folder may have been
; chosen by hand), never the data folder under %LOCALAPPDATA% or %APPDATA%.
Section "Uninstall"
  ExecShellWait "open" "$SYSDIR\schtasks.exe" '/End /TN "${AGENT_TASK}"' SW_HIDE
  ExecShellWait "open" "$SYSDIR\schtasks.exe" '/Delete /TN "${AGENT_TASK}" /F' SW_HIDE
  Delete "$INSTDIR\${AGENT_XML}"
  nsExec::ExecToLog '"$INSTDIR\${CLI_EXE}" --data-dir "$APPDATA\PSER\service" update service-remove'
  Pop $0
  RMDir /r "$APPDATA\PSER\updates"
  RMDir /r "$APPDATA\PSER\service"
  RMDir "$APPDATA\PSER"
  Delete "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\Uninstall ${APP_NAME}.lnk"
  RMDir "$SMPROGRAMS\${APP_NAME}"
  Delete "$DESKTOP\${APP_NAME}.lnk"

  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "${INSTDIR_KEY}"
  DeleteRegKey /ifempty HKLM "Software\PSER"
SectionEnd
