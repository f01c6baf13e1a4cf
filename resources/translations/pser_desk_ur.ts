<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ur_PK" sourcelanguage="en">
<context>
    <name>AuditDialog</name>
    <message>
        <source>Checking the chain...</source>
        <translation>زنجیر جانچی جا رہی ہے...</translation>
    </message>
    <message>
        <source>The audit log is intact: %1 entries, none changed or removed.</source>
        <translation>آڈٹ لاگ درست ہے: %1 اندراجات، کوئی بدلا یا ہٹایا نہیں گیا۔</translation>
    </message>
    <message>
        <source>The audit log has been tampered with at entry %1: entries were changed or removed. Do not use this PC; call the district office.</source>
        <translation>آڈٹ لاگ میں اندراج %1 پر چھیڑ چھاڑ ہوئی ہے: اندراجات بدلے یا ہٹائے گئے ہیں۔ یہ کمپیوٹر استعمال نہ کریں؛ ضلعی دفتر کو فون کریں۔</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>آڈٹ لاگ</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>نمبر</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>وقت</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>واقعہ</translation>
    </message>
    <message>
        <source>By</source>
        <translation>کس نے</translation>
    </message>
    <message>
        <source>About</source>
        <translation>کس کے بارے میں</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>تفصیل</translation>
    </message>
    <message>
        <source>&amp;Verify the chain</source>
        <translation>زنجیر کی تصدیق کریں (&amp;V)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>بند کریں</translation>
    </message>
</context>
<context>
    <name>AuditWords</name>
    <message>
        <source>Signed in</source>
        <translation>سائن ان ہوا</translation>
    </message>
    <message>
        <source>Sign-in refused</source>
        <translation>سائن ان مسترد</translation>
    </message>
    <message>
        <source>Account locked</source>
        <translation>اکاؤنٹ بند ہوا</translation>
    </message>
    <message>
        <source>Operator added</source>
        <translation>آپریٹر شامل ہوا</translation>
    </message>
    <message>
        <source>Operator disabled</source>
        <translation>آپریٹر غیر فعال ہوا</translation>
    </message>
    <message>
        <source>Password reset</source>
        <translation>پاس ورڈ نیا رکھا گیا</translation>
    </message>
    <message>
        <source>Registration started</source>
        <translation>اندراج شروع ہوا</translation>
    </message>
    <message>
        <source>Saved and queued</source>
        <translation>محفوظ ہو کر قطار میں</translation>
    </message>
    <message>
        <source>Corrected and queued</source>
        <translation>درست ہو کر قطار میں</translation>
    </message>
    <message>
        <source>Sent to central</source>
        <translation>مرکزی نظام کو بھیجا گیا</translation>
    </message>
    <message>
        <source>Received by central</source>
        <translation>مرکزی نظام کو موصول</translation>
    </message>
    <message>
        <source>Returned by central for correction</source>
        <translation>مرکزی نظام نے درستی کے لیے واپس کیا</translation>
    </message>
    <message>
        <source>Already registered at central</source>
        <translation>مرکزی نظام میں پہلے سے درج</translation>
    </message>
    <message>
        <source>Refused by central</source>
        <translation>مرکزی نظام نے مسترد کیا</translation>
    </message>
    <message>
        <source>Queued again</source>
        <translation>دوبارہ قطار میں</translation>
    </message>
    <message>
        <source>Slip printed</source>
        <translation>رسید پرنٹ ہوئی</translation>
    </message>
    <message>
        <source>Slip reprinted</source>
        <translation>رسید دوبارہ پرنٹ ہوئی</translation>
    </message>
    <message>
        <source>PC enrolled with central</source>
        <translation>کمپیوٹر مرکزی نظام میں رجسٹر ہوا</translation>
    </message>
    <message>
        <source>Update refused</source>
        <translation>اپ ڈیٹ مسترد کی گئی</translation>
    </message>
    <message>
        <source>Update downloaded</source>
        <translation>اپ ڈیٹ ڈاؤن لوڈ ہوئی</translation>
    </message>
    <message>
        <source>Update installed</source>
        <translation>اپ ڈیٹ انسٹال ہوئی</translation>
    </message>
    <message>
        <source>Update failed</source>
        <translation>اپ ڈیٹ ناکام رہی</translation>
    </message>
    <message>
        <source>Setting changed</source>
        <translation>ترتیب بدلی گئی</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>بیک اپ بحال ہوا</translation>
    </message>
    <message>
        <source>Installation key recorded</source>
        <translation>تنصیب کی کلید درج ہوئی</translation>
    </message>
    <message>
        <source>Central&apos;s address changed</source>
        <translation>مرکزی سرور کا پتا بدل گیا</translation>
    </message>
    <message>
        <source>Verified by central</source>
        <translation>مرکز نے تصدیق کر دی</translation>
    </message>
    <message>
        <source>Rejected by central</source>
        <translation>مرکز نے مسترد کیا</translation>
    </message>
    <message>
        <source>Rejection dealt with by a manager</source>
        <translation>مسترد گھرانہ مینیجر نے نمٹا دیا</translation>
    </message>
    <message>
        <source>Personal data removed after verification</source>
        <translation>تصدیق کے بعد ذاتی ڈیٹا ہٹا دیا گیا</translation>
    </message>
    <message>
        <source>Central&apos;s configuration applied</source>
        <translation>مرکز کی ترتیبات نافذ ہو گئیں</translation>
    </message>
    <message>
        <source>Central&apos;s configuration ignored (signature not genuine)</source>
        <translation>مرکز کی ترتیبات نظر انداز (دستخط اصل نہیں)</translation>
    </message>
    <message>
        <source>receipt %1</source>
        <translation>رسید %1</translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>کوشش %1</translation>
    </message>
    <message>
        <source>%1 left sending by a stop</source>
        <translation>بند ہونے سے بھیجتے ہوئے رکے: %1</translation>
    </message>
    <message>
        <source>centre %1</source>
        <translation>مرکز %1</translation>
    </message>
    <message>
        <source>role: %1</source>
        <translation>کردار: %1</translation>
    </message>
    <message>
        <source>%1 wrong passwords</source>
        <translation>غلط پاس ورڈ: %1</translation>
    </message>
    <message>
        <source>paper %1</source>
        <translation>کاغذ %1</translation>
    </message>
    <message>
        <source>setting %1</source>
        <translation>ترتیب %1</translation>
    </message>
    <message>
        <source>central&apos;s tracking id %1</source>
        <translation>مرکزی نظام کی ٹریکنگ آئی ڈی %1</translation>
    </message>
    <message>
        <source>central&apos;s answer %1</source>
        <translation>مرکزی نظام کا جواب %1</translation>
    </message>
    <message>
        <source>central&apos;s reason %1</source>
        <translation>مرکز کی وجہ %1</translation>
    </message>
    <message>
        <source>kept %1 days after verification</source>
        <translation>تصدیق کے بعد %1 دن رکھا گیا</translation>
    </message>
    <message>
        <source>registered again</source>
        <translation>دوبارہ رجسٹر کیا گیا</translation>
    </message>
    <message>
        <source>started from a rejected household</source>
        <translation>مسترد گھرانے سے شروع کیا گیا</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>منیجر</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>آپریٹر</translation>
    </message>
    <message>
        <source>unknown operator ID</source>
        <translation>نامعلوم آپریٹر آئی ڈی</translation>
    </message>
    <message>
        <source>a registration not yet saved</source>
        <translation>ابھی محفوظ نہ ہونے والا اندراج</translation>
    </message>
</context>
<context>
    <name>ChoicePane</name>
    <message numerus="yes">
        <source>%n more: type a letter of the answer to find it.</source>
        <translation>
            <numerusform>مزید %n: تلاش کے لیے جواب کا کوئی حرف لکھیں۔</numerusform>
            <numerusform>مزید %n: تلاش کے لیے جواب کا کوئی حرف لکھیں۔</numerusform>
        </translation>
    </message>
    <message>
        <source>Press the number of the answer:</source>
        <translation>جواب کا نمبر دبائیں:</translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <source>Something went wrong</source>
        <translation>کچھ غلط ہو گیا</translation>
    </message>
    <message>
        <source>PSER Desk met an unexpected problem. The registration you were typing has been saved as a draft. Close PSER Desk and start it again; the draft reopens where it was. If this happens again, tell the centre manager.</source>
        <translation>‏PSER Desk کو ایک غیر متوقع مسئلہ پیش آیا۔ جو رجسٹریشن آپ ٹائپ کر رہے تھے وہ مسودے کے طور پر محفوظ ہو گئی ہے۔ PSER Desk بند کر کے دوبارہ شروع کریں؛ مسودہ وہیں سے کھلے گا۔ اگر دوبارہ ایسا ہو تو سینٹر مینیجر کو بتائیں۔</translation>
    </message>
    <message>
        <source>A report for the support team was saved: %1</source>
        <translation>سپورٹ ٹیم کے لیے رپورٹ محفوظ کر دی گئی: %1</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>nothing waiting</source>
        <translation>کچھ باقی نہیں</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>‏%n دن</numerusform>
            <numerusform>‏%n دن</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>‏%n گھنٹہ</numerusform>
            <numerusform>‏%n گھنٹے</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>‏%n منٹ</numerusform>
            <numerusform>‏%n منٹ</numerusform>
        </translation>
    </message>
    <message>
        <source>Central answers with errors: records wait and are retried</source>
        <translation>مرکزی نظام غلطیوں کے ساتھ جواب دے رہا ہے: ریکارڈ انتظار میں ہیں اور دوبارہ بھیجے جائیں گے</translation>
    </message>
    <message>
        <source>Central asked to wait: sending resumes by itself</source>
        <translation>مرکزی نظام نے انتظار کا کہا ہے: بھیجنا خود بخود دوبارہ شروع ہو گا</translation>
    </message>
    <message>
        <source>This PC is no longer enrolled: call the centre manager</source>
        <translation>یہ کمپیوٹر اب رجسٹرڈ نہیں: مرکز کے منیجر کو بلائیں</translation>
    </message>
    <message>
        <source>Connection: not checked yet</source>
        <translation>رابطہ: ابھی جانچا نہیں گیا</translation>
    </message>
    <message>
        <source>State</source>
        <translation>حالت</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>کیا کرنا ہے</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>آن لائن</translation>
    </message>
    <message>
        <source>Update required: central asks for a newer version of this program. Registration goes on; tell the centre manager.</source>
        <translation>اپ ڈیٹ ضروری ہے: مرکز اس پروگرام کا نیا ورژن مانگتا ہے۔ رجسٹریشن جاری رہے گی؛ سینٹر مینیجر کو بتائیں۔</translation>
    </message>
    <message>
        <source>Sending: nobody is sending right now</source>
        <translation>بھیجنا: اس وقت کوئی نہیں بھیج رہا</translation>
    </message>
    <message>
        <source>this window or another window of the centre</source>
        <translation>یہ ونڈو یا سینٹر کی کوئی اور ونڈو</translation>
    </message>
    <message>
        <source>the background sender</source>
        <translation>پس منظر میں بھیجنے والا</translation>
    </message>
    <message>
        <source>a manager&apos;s sync command</source>
        <translation>مینیجر کی sync کمانڈ</translation>
    </message>
    <message>
        <source>Sending: %1 (on %2, since %3)</source>
        <translation>بھیجنا: %1 (%2 پر، %3 سے)</translation>
    </message>
    <message>
        <source>Offline: records wait in the queue</source>
        <translation>آف لائن: ریکارڈ قطار میں انتظار کر رہے ہیں</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>بھیجا جا رہا ہے…</translation>
    </message>
    <message>
        <source>last successful sync %1</source>
        <translation>آخری کامیاب ترسیل %1</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>رسید نمبر</translation>
    </message>
    <message>
        <source>Signed in as %1</source>
        <translation>‏%1 کے طور پر داخل</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>ڈیش بورڈ</translation>
    </message>
    <message>
        <source>Checking the connection…</source>
        <translation>رابطہ جانچا جا رہا ہے…</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>آج</translation>
    </message>
    <message>
        <source>My registrations</source>
        <translation>میری رجسٹریشنز</translation>
    </message>
    <message>
        <source>Centre registrations</source>
        <translation>مرکز کی رجسٹریشنز</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>قطار</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>بھیجنے کے منتظر</translation>
    </message>
    <message>
        <source>Acknowledged by central</source>
        <translation>مرکز نے وصول کیے</translation>
    </message>
    <message>
        <source>Need attention</source>
        <translation>توجہ طلب</translation>
    </message>
    <message>
        <source>Oldest unsent</source>
        <translation>سب سے پرانا غیر ارسال شدہ</translation>
    </message>
    <message>
        <source>Records that need attention (Enter on a returned one corrects it)</source>
        <translation>توجہ طلب ریکارڈ (واپس آئے ہوئے پر Enter دبانے سے درستی ہوتی ہے)</translation>
    </message>
    <message>
        <source>&amp;Send now (F9)</source>
        <translation>ابھی بھیجیں (F9) (&amp;S)</translation>
    </message>
    <message>
        <source>&amp;New registration</source>
        <translation>نئی رجسٹریشن (&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>تازہ کریں (&amp;R)</translation>
    </message>
</context>
<context>
    <name>DeskController</name>
    <message>
        <source>The slip did not print</source>
        <translation>رسید پرنٹ نہیں ہوئی</translation>
    </message>
    <message>
        <source>The slip was printed.</source>
        <translation>رسید پرنٹ ہو گئی۔</translation>
    </message>
    <message>
        <source>Only a centre manager can change the settings.</source>
        <translation>سیٹنگز صرف سینٹر مینیجر بدل سکتا ہے۔</translation>
    </message>
    <message>
        <source>The settings were not saved: %1</source>
        <translation>سیٹنگز محفوظ نہیں ہوئیں: %1</translation>
    </message>
</context>
<context>
    <name>DeskStart</name>
    <message>
        <source>The log file is in the logs folder of the data folder.</source>
        <translation>لاگ فائل ڈیٹا فولڈر کے logs فولڈر میں ہے۔</translation>
    </message>
</context>
<context>
    <name>DraftsPage</name>
    <message>
        <source>Started</source>
        <translation>شروع</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>آخری تبدیلی</translation>
    </message>
    <message>
        <source>Family members</source>
        <translation>خاندان کے افراد</translation>
    </message>
    <message>
        <source>Unfinished registrations (drafts)</source>
        <translation>نامکمل رجسٹریشنز (مسودے)</translation>
    </message>
    <message>
        <source>R&amp;esume (Enter)</source>
        <translation>جاری رکھیں (Enter) (&amp;E)</translation>
    </message>
</context>
<context>
    <name>EnrolmentDialog</name>
    <message>
        <source>This PC is not enrolled yet.</source>
        <translation>یہ کمپیوٹر ابھی اندراج شدہ نہیں۔</translation>
    </message>
    <message>
        <source>Asking central...</source>
        <translation>مرکز سے پوچھا جا رہا ہے...</translation>
    </message>
    <message>
        <source>Re-enrol this PC</source>
        <translation>اس کمپیوٹر کا دوبارہ اندراج</translation>
    </message>
    <message>
        <source>Re-enrolling gives this PC a new identity and key; the old ones stop working at central. Records already queued are sent with the new key. Re-enrol now?</source>
        <translation>دوبارہ اندراج سے اس کمپیوٹر کو نئی شناخت اور کلید ملتی ہے؛ پرانی مرکز پر کام کرنا چھوڑ دیتی ہیں۔ قطار میں موجود ریکارڈ نئی کلید سے بھیجے جائیں گے۔ ابھی دوبارہ اندراج کریں؟</translation>
    </message>
    <message>
        <source>This PC is enrolled again as %1.</source>
        <translation>یہ کمپیوٹر دوبارہ %1 کے طور پر درج ہو گیا۔</translation>
    </message>
    <message>
        <source>Enrolment</source>
        <translation>اندراج</translation>
    </message>
    <message>
        <source>This PC</source>
        <translation>یہ کمپیوٹر</translation>
    </message>
    <message>
        <source>Centre</source>
        <translation>مرکز</translation>
    </message>
    <message>
        <source>District / tehsil</source>
        <translation>ضلع / تحصیل</translation>
    </message>
    <message>
        <source>Device ID</source>
        <translation>آلے کی شناخت</translation>
    </message>
    <message>
        <source>PC name</source>
        <translation>کمپیوٹر کا نام</translation>
    </message>
    <message>
        <source>Central&apos;s URL</source>
        <translation>مرکز کا پتا (URL)</translation>
    </message>
    <message>
        <source>Enrolled at</source>
        <translation>اندراج کا وقت</translation>
    </message>
    <message>
        <source>Re-enrol</source>
        <translation>دوبارہ اندراج</translation>
    </message>
    <message>
        <source>Only when the district office asks: with a new one-time token from them.</source>
        <translation>صرف جب ضلعی دفتر کہے: ان سے ملنے والے نئے یک بار ٹوکن کے ساتھ۔</translation>
    </message>
    <message>
        <source>Centre code</source>
        <translation>مرکز کا کوڈ</translation>
    </message>
    <message>
        <source>New enrolment token</source>
        <translation>نیا اندراجی ٹوکن</translation>
    </message>
    <message>
        <source>Re-&amp;enrol this PC...</source>
        <translation>اس کمپیوٹر کا دوبارہ اندراج کریں... (&amp;E)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>بند کریں</translation>
    </message>
</context>
<context>
    <name>FieldForm</name>
    <message>
        <source>Filled from the card: check it.</source>
        <translation>کارڈ سے بھرا گیا: جانچ لیں۔</translation>
    </message>
    <message>
        <source>Filled in from what is known: check it.</source>
        <translation>معلوم معلومات سے بھرا گیا: جانچ لیں۔</translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) on this page need correcting (in red). Correct them, or press Ctrl+Enter to go on and come back to them later.</source>
        <translation>
            <numerusform>اس صفحے پر %n جواب درست کرنا ہے (سرخ میں)۔ درست کریں، یا آگے بڑھنے کے لیے Ctrl+Enter دبائیں اور بعد میں واپس آئیں۔</numerusform>
            <numerusform>اس صفحے پر %n جوابات درست کرنے ہیں (سرخ میں)۔ درست کریں، یا آگے بڑھنے کے لیے Ctrl+Enter دبائیں اور بعد میں واپس آئیں۔</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Set up this PC</source>
        <translation>اس کمپیوٹر کی تیاری</translation>
    </message>
    <message>
        <source>No operator exists on this PC yet. Create the centre manager&apos;s account, then enrol the PC with central.</source>
        <translation>اس کمپیوٹر پر ابھی کوئی آپریٹر نہیں۔ پہلے مرکز کے منیجر کا اکاؤنٹ بنائیں، پھر کمپیوٹر کو مرکزی نظام میں رجسٹر کریں۔</translation>
    </message>
    <message>
        <source>Centre manager</source>
        <translation>مرکز کا منیجر</translation>
    </message>
    <message>
        <source>Operator &amp;ID</source>
        <translation>آپریٹر آئی ڈی (&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>نام (&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>پاس ورڈ (&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Repeat password</source>
        <translation>پاس ورڈ دوبارہ (&amp;R)</translation>
    </message>
    <message>
        <source>Enrolment with central</source>
        <translation>مرکزی نظام میں اندراج</translation>
    </message>
    <message>
        <source>Central &amp;URL</source>
        <translation>مرکزی نظام کا پتا (&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Centre code</source>
        <translation>مرکز کا کوڈ (&amp;C)</translation>
    </message>
    <message>
        <source>Enrolment &amp;token</source>
        <translation>اندراج ٹوکن (&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>بند کریں (&amp;Q)</translation>
    </message>
    <message>
        <source>C&amp;reate and enrol</source>
        <translation>بنائیں اور رجسٹر کریں (&amp;R)</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Type your operator ID and password.</source>
        <translation>اپنی آپریٹر آئی ڈی اور پاس ورڈ لکھیں۔</translation>
    </message>
    <message>
        <source>Opening the records on this PC...</source>
        <translation>اس کمپیوٹر کا ریکارڈ کھولا جا رہا ہے...</translation>
    </message>
    <message>
        <source>Sign-in is not possible right now; try again.</source>
        <translation>ابھی داخلہ ممکن نہیں؛ دوبارہ کوشش کریں۔</translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong passwords. Try again in %n minute(s).</source>
        <translation>
            <numerusform>بہت زیادہ غلط پاس ورڈ۔ %n منٹ بعد دوبارہ کوشش کریں۔</numerusform>
            <numerusform>بہت زیادہ غلط پاس ورڈ۔ %n منٹ بعد دوبارہ کوشش کریں۔</numerusform>
        </translation>
    </message>
    <message>
        <source>This account is disabled. Ask the centre manager.</source>
        <translation>یہ اکاؤنٹ بند ہے۔ مرکز کے منیجر سے رابطہ کریں۔</translation>
    </message>
    <message numerus="yes">
        <source>Wrong operator ID or password. %n attempt(s) left before the account locks.</source>
        <translation>
            <numerusform>غلط آپریٹر آئی ڈی یا پاس ورڈ۔ اکاؤنٹ بند ہونے سے پہلے %n کوشش باقی ہے۔</numerusform>
            <numerusform>غلط آپریٹر آئی ڈی یا پاس ورڈ۔ اکاؤنٹ بند ہونے سے پہلے %n کوششیں باقی ہیں۔</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrong operator ID or password.</source>
        <translation>غلط آپریٹر آئی ڈی یا پاس ورڈ۔</translation>
    </message>
    <message>
        <source>Demo: sign in as %1 with the password %2.</source>
        <translation>ڈیمو: آئی ڈی %1 اور پاس ورڈ %2 سے داخل ہوں۔</translation>
    </message>
    <message>
        <source>PSER Desk: sign in</source>
        <translation>پی ایس ای آر ڈیسک: داخلہ</translation>
    </message>
    <message>
        <source>Punjab Socio-Economic Registry</source>
        <translation>پنجاب سماجی و معاشی رجسٹری</translation>
    </message>
    <message>
        <source>&amp;Operator ID</source>
        <translation>آپریٹر آئی ڈی (&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>پاس ورڈ (&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>بند کریں (&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>داخل ہوں (&amp;S)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>About PSER Desk</source>
        <translation>پی ایس ای آر ڈیسک کے بارے میں</translation>
    </message>
    <message>
        <source>PSER Desk %1: the registration-centre client of the Punjab Socio-Economic Registry.</source>
        <translation>پی ایس ای آر ڈیسک %1: پنجاب سماجی و معاشی رجسٹری کے رجسٹریشن مراکز کا پروگرام۔</translation>
    </message>
    <message>
        <source>&amp;Drafts</source>
        <translation>مسودے (&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Records</source>
        <translation>ریکارڈ (&amp;R)</translation>
    </message>
    <message>
        <source>DEMO: nothing here is real. Sign in as %1 with the password %2.</source>
        <translation>ڈیمو: یہاں کچھ بھی اصلی نہیں۔ آئی ڈی %1 اور پاس ورڈ %2 سے داخل ہوں۔</translation>
    </message>
    <message>
        <source>Operator: %1</source>
        <translation>آپریٹر: %1</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>کوئی داخل نہیں</translation>
    </message>
    <message>
        <source>PSER Desk</source>
        <translation>پی ایس ای آر ڈیسک</translation>
    </message>
    <message>
        <source>&amp;Desk</source>
        <translation>ڈیسک (&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>زبان (&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>اوزار (&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>مدد (&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Dashboard</source>
        <translation>ڈیش بورڈ (&amp;D)</translation>
    </message>
    <message>
        <source>&amp;New registration</source>
        <translation>نئی رجسٹریشن (&amp;N)</translation>
    </message>
    <message>
        <source>Send &amp;now</source>
        <translation>ابھی بھیجیں (&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>لاک کریں (&amp;L)</translation>
    </message>
    <message>
        <source>S&amp;witch operator</source>
        <translation>آپریٹر بدلیں (&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>بند کریں (&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>ترتیبات… (&amp;S)</translation>
    </message>
    <message>
        <source>&amp;About PSER Desk</source>
        <translation>پی ایس ای آر ڈیسک کے بارے میں (&amp;A)</translation>
    </message>
</context>
<context>
    <name>ManagerMessages</name>
    <message>
        <source>A name cannot hold line breaks, tabs or direction-control characters.</source>
        <translation>نام میں لائن بریک، ٹیب یا سمت بدلنے والے کنٹرول حروف نہیں ہو سکتے۔</translation>
    </message>
    <message>
        <source>Sign in again as a manager, then try again.</source>
        <translation>مینیجر کے طور پر دوبارہ سائن ان کریں، پھر دوبارہ کوشش کریں۔</translation>
    </message>
    <message>
        <source>Only a manager can do this. Sign in with a manager account.</source>
        <translation>یہ کام صرف مینیجر کر سکتا ہے۔ مینیجر اکاؤنٹ سے سائن ان کریں۔</translation>
    </message>
    <message>
        <source>An operator with this ID already exists. Choose another ID.</source>
        <translation>اس شناخت کا آپریٹر پہلے سے موجود ہے۔ کوئی اور شناخت چنیں۔</translation>
    </message>
    <message>
        <source>An operator ID has 2 to 64 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos; and starts with a letter; the name cannot be empty.</source>
        <translation>آپریٹر کی شناخت میں 2 سے 64 حروف، ہندسے، &apos;_&apos;، &apos;.&apos; یا &apos;-&apos; ہوتے ہیں اور یہ حرف سے شروع ہوتی ہے؛ نام خالی نہیں ہو سکتا۔</translation>
    </message>
    <message>
        <source>This operator no longer exists. Refresh the list.</source>
        <translation>یہ آپریٹر اب موجود نہیں۔ فہرست تازہ کریں۔</translation>
    </message>
    <message>
        <source>You cannot disable your own account. Ask another manager.</source>
        <translation>آپ اپنا اکاؤنٹ بند نہیں کر سکتے۔ کسی اور مینیجر سے کہیں۔</translation>
    </message>
    <message>
        <source>Choose an operator in the list first.</source>
        <translation>پہلے فہرست میں سے آپریٹر چنیں۔</translation>
    </message>
    <message>
        <source>The database cannot be reached. Try again; if it persists, restart the desk.</source>
        <translation>ڈیٹابیس تک رسائی نہیں ہو رہی۔ دوبارہ کوشش کریں؛ اگر مسئلہ رہے تو ڈیسک دوبارہ شروع کریں۔</translation>
    </message>
    <message>
        <source>Central&apos;s URL must start with https:// (http:// only to this computer), with no user, query or fragment.</source>
        <translation>مرکز کا پتا https:// سے شروع ہونا چاہیے (http:// صرف اسی کمپیوٹر کے لیے)، بغیر صارف، سوال یا ٹکڑے کے۔</translation>
    </message>
    <message>
        <source>A pin is the SHA-256 of central&apos;s public key: 64 hex digits or base64.</source>
        <translation>پن مرکز کی عوامی کلید کا SHA-256 ہے: 64 ہیکس ہندسے یا base64۔</translation>
    </message>
    <message>
        <source>The CA bundle file does not exist. Choose the file again.</source>
        <translation>‏CA بنڈل فائل موجود نہیں۔ فائل دوبارہ چنیں۔</translation>
    </message>
    <message>
        <source>A camera is a number (0, 1, ...) or &quot;simulated&quot;.</source>
        <translation>کیمرا ایک نمبر (0، 1، ...) یا &quot;simulated&quot; ہوتا ہے۔</translation>
    </message>
    <message>
        <source>The idle lock must be between 1 and 120 minutes.</source>
        <translation>بیکار رہنے پر تالا 1 سے 120 منٹ کے درمیان ہونا چاہیے۔</translation>
    </message>
    <message>
        <source>The settings could not be saved. Check the disk, then try again.</source>
        <translation>ترتیبات محفوظ نہ ہو سکیں۔ ڈسک دیکھیں، پھر دوبارہ کوشش کریں۔</translation>
    </message>
    <message>
        <source>Central refused the enrolment. Call the district office with the time.</source>
        <translation>مرکز نے اندراج مسترد کر دیا۔ وقت بتا کر ضلعی دفتر کو فون کریں۔</translation>
    </message>
    <message>
        <source>Type central&apos;s URL, the centre code and the new token.</source>
        <translation>مرکز کا پتا، مرکز کا کوڈ اور نیا ٹوکن لکھیں۔</translation>
    </message>
    <message>
        <source>The file could not be written. Choose another folder, then try again.</source>
        <translation>فائل لکھی نہ جا سکی۔ کوئی اور فولڈر چنیں، پھر دوبارہ کوشش کریں۔</translation>
    </message>
</context>
<context>
    <name>ManagerScreens</name>
    <message>
        <source>&amp;Manager</source>
        <translation>مینیجر (&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Operators...</source>
        <translation>آپریٹر... (&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Enrolment...</source>
        <translation>اندراج... (&amp;E)</translation>
    </message>
    <message>
        <source>Centre &amp;settings...</source>
        <translation>مرکز کی ترتیبات... (&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Audit log...</source>
        <translation>آڈٹ لاگ... (&amp;A)</translation>
    </message>
    <message>
        <source>Daily &amp;report...</source>
        <translation>روزانہ رپورٹ... (&amp;R)</translation>
    </message>
</context>
<context>
    <name>ManagerSettingsDialog</name>
    <message>
        <source>The system&apos;s default printer</source>
        <translation>سسٹم کا طے شدہ پرنٹر</translation>
    </message>
    <message>
        <source>Centre settings</source>
        <translation>مرکز کی ترتیبات</translation>
    </message>
    <message>
        <source>CA bundle file (optional)</source>
        <translation>‏CA بنڈل فائل (اختیاری)</translation>
    </message>
    <message>
        <source>Central&apos;s key pin (optional)</source>
        <translation>مرکز کی کلید کا پن (اختیاری)</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>پرنٹر</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>کاغذ</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>کیمرا</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>زبان</translation>
    </message>
    <message>
        <source>Lock after idle minutes</source>
        <translation>اتنے منٹ بیکار رہنے پر تالا</translation>
    </message>
    <message>
        <source>A4 sheet</source>
        <translation>اے 4 کاغذ</translation>
    </message>
    <message>
        <source>80 mm receipt roll</source>
        <translation>80 ملی میٹر رسید رول</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>محفوظ کریں (&amp;S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>منسوخ</translation>
    </message>
</context>
<context>
    <name>MembersGrid</name>
    <message>
        <source>No family members besides the head? Press Enter again to go on, or type the first member in this row.</source>
        <translation>سربراہ کے علاوہ کوئی فرد نہیں؟ آگے بڑھنے کے لیے دوبارہ Enter دبائیں، یا اسی قطار میں پہلا فرد لکھیں۔</translation>
    </message>
    <message>
        <source>Press Ctrl+Delete again to remove member %1.</source>
        <translation>فرد %1 کو ہٹانے کے لیے دوبارہ Ctrl+Delete دبائیں۔</translation>
    </message>
    <message>
        <source>A household has at most %1 members besides the head.</source>
        <translation>ایک گھرانے میں سربراہ کے علاوہ زیادہ سے زیادہ %1 افراد ہو سکتے ہیں۔</translation>
    </message>
    <message>
        <source>Member %1</source>
        <translation>فرد %1</translation>
    </message>
    <message numerus="yes">
        <source>%n member(s) besides the head</source>
        <translation>
            <numerusform>سربراہ کے علاوہ %n فرد</numerusform>
            <numerusform>سربراہ کے علاوہ %n افراد</numerusform>
        </translation>
    </message>
    <message>
        <source>One row per member. Enter: next answer; a digit chooses an option. Insert: a new row. Enter on an empty row: next page. Ctrl+Delete twice: remove the member. Answers in italics were filled in from what is known: check them.</source>
        <translation>ہر فرد کی ایک قطار۔ Enter: اگلا جواب؛ ہندسہ دبانے سے جواب چنا جاتا ہے۔ Insert: نئی قطار۔ خالی قطار پر Enter: اگلا صفحہ۔ دو بار Ctrl+Delete: فرد ہٹائیں۔ ترچھے جوابات معلوم معلومات سے بھرے گئے ہیں: جانچ لیں۔</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>A name cannot hold line breaks, tabs or direction-control characters.</source>
        <translation>نام میں لائن بریک، ٹیب یا سمت بدلنے والے کنٹرول حروف نہیں ہو سکتے۔</translation>
    </message>
    <message>
        <source>Something went wrong; nothing was lost. Try again.</source>
        <translation>کچھ غلط ہو گیا؛ کچھ ضائع نہیں ہوا۔ دوبارہ کوشش کریں۔</translation>
    </message>
    <message>
        <source>Fill in every field.</source>
        <translation>ہر خانہ پُر کریں۔</translation>
    </message>
    <message>
        <source>Type the central URL, the centre code and the token.</source>
        <translation>مرکزی نظام کا پتا، مرکز کا کوڈ اور ٹوکن لکھیں۔</translation>
    </message>
    <message>
        <source>Central did not accept this enrolment token.</source>
        <translation>مرکزی نظام نے یہ اندراج ٹوکن قبول نہیں کیا۔</translation>
    </message>
    <message>
        <source>The disk of the data folder is full or read-only. Free some space, then enrol again: the token was not used.</source>
        <translation>ڈیٹا فولڈر کی ڈسک بھری ہوئی ہے یا صرف پڑھنے کے لیے ہے۔ کچھ جگہ خالی کریں، پھر دوبارہ اندراج کریں: ٹوکن استعمال نہیں ہوا۔</translation>
    </message>
    <message>
        <source>Central cannot be reached. Check the URL and the network.</source>
        <translation>مرکزی نظام سے رابطہ نہیں ہو سکا۔ پتا اور نیٹ ورک چیک کریں۔</translation>
    </message>
    <message>
        <source>Central did not accept the centre code.</source>
        <translation>مرکزی نظام نے مرکز کا کوڈ قبول نہیں کیا۔</translation>
    </message>
    <message>
        <source>An operator with this ID already exists.</source>
        <translation>اس آئی ڈی کا آپریٹر پہلے سے موجود ہے۔</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>دونوں پاس ورڈ ایک جیسے نہیں۔</translation>
    </message>
    <message>
        <source>The password must have at least 10 characters.</source>
        <translation>پاس ورڈ میں کم از کم 10 حروف ہونے چاہئیں۔</translation>
    </message>
    <message>
        <source>The password must not be the operator ID.</source>
        <translation>پاس ورڈ آپریٹر آئی ڈی نہیں ہو سکتا۔</translation>
    </message>
    <message>
        <source>The password must not be a CNIC number.</source>
        <translation>پاس ورڈ شناختی کارڈ نمبر نہیں ہو سکتا۔</translation>
    </message>
    <message>
        <source>This password is too common; choose another.</source>
        <translation>یہ پاس ورڈ بہت عام ہے؛ کوئی اور چنیں۔</translation>
    </message>
    <message>
        <source>This password is too simple; choose another.</source>
        <translation>یہ پاس ورڈ بہت آسان ہے؛ کوئی اور چنیں۔</translation>
    </message>
    <message>
        <source>This record was already saved.</source>
        <translation>یہ ریکارڈ پہلے ہی محفوظ ہو چکا ہے۔</translation>
    </message>
    <message>
        <source>Some answers are not accepted: see the list on the review page.</source>
        <translation>کچھ جوابات قبول نہیں: جائزے کے صفحے پر فہرست دیکھیں۔</translation>
    </message>
    <message>
        <source>This PC is not enrolled with central yet. Ask the centre manager.</source>
        <translation>یہ کمپیوٹر ابھی مرکزی نظام میں رجسٹرڈ نہیں۔ مرکز کے منیجر سے کہیں۔</translation>
    </message>
    <message>
        <source>This PC is already enrolled with central.</source>
        <translation>یہ کمپیوٹر پہلے ہی مرکزی نظام میں رجسٹرڈ ہے۔</translation>
    </message>
    <message>
        <source>The disk is full; nothing was saved. Free some space, then try again.</source>
        <translation>ڈسک بھر گئی ہے؛ کچھ محفوظ نہیں ہوا۔ کچھ جگہ خالی کریں، پھر دوبارہ کوشش کریں۔</translation>
    </message>
    <message>
        <source>The database is busy; nothing was saved. Try again in a moment.</source>
        <translation>ڈیٹا بیس مصروف ہے؛ کچھ محفوظ نہیں ہوا۔ تھوڑی دیر بعد دوبارہ کوشش کریں۔</translation>
    </message>
    <message>
        <source>The data folder cannot be written; nothing was saved. Call the manager.</source>
        <translation>ڈیٹا فولڈر میں لکھا نہیں جا سکتا؛ کچھ محفوظ نہیں ہوا۔ منیجر کو بلائیں۔</translation>
    </message>
    <message>
        <source>The database is damaged; nothing was saved. Call the centre manager.</source>
        <translation>ڈیٹا بیس خراب ہے؛ کچھ محفوظ نہیں ہوا۔ مرکز کے منیجر کو بلائیں۔</translation>
    </message>
    <message>
        <source>The database cannot be reached; nothing was saved. Try again.</source>
        <translation>ڈیٹا بیس تک رسائی نہیں ہو سکی؛ کچھ محفوظ نہیں ہوا۔ دوبارہ کوشش کریں۔</translation>
    </message>
    <message>
        <source>This record has no slip yet (it is not saved and queued).</source>
        <translation>اس ریکارڈ کی ابھی کوئی رسید نہیں (یہ محفوظ ہو کر قطار میں نہیں)۔</translation>
    </message>
    <message>
        <source>Central verified this household and its personal data has been removed from this PC, so its slip cannot be printed again. The household is safe at central.</source>
        <translation>مرکز نے اس گھرانے کی تصدیق کر دی ہے اور اس کا ذاتی ڈیٹا اس کمپیوٹر سے ہٹا دیا گیا ہے، اس لیے اس کی رسید دوبارہ نہیں چھپ سکتی۔ گھرانہ مرکز میں محفوظ ہے۔</translation>
    </message>
    <message>
        <source>Only a household central rejected, not yet dealt with, can be chosen.</source>
        <translation>صرف وہی گھرانہ چنا جا سکتا ہے جسے مرکز نے مسترد کیا ہو اور جو ابھی نمٹایا نہ گیا ہو۔</translation>
    </message>
    <message>
        <source>The members do not match NADRA&apos;s family tree.</source>
        <translation>افراد نادرا کے خاندانی شجرے سے مطابقت نہیں رکھتے۔</translation>
    </message>
    <message>
        <source>A member is already registered in another household.</source>
        <translation>ایک فرد پہلے ہی کسی دوسرے گھرانے میں رجسٹر ہے۔</translation>
    </message>
    <message>
        <source>Information central needs to verify the household is missing.</source>
        <translation>گھرانے کی تصدیق کے لیے مرکز کو درکار معلومات موجود نہیں۔</translation>
    </message>
    <message>
        <source>Central could not verify the household; the district office will explain.</source>
        <translation>مرکز گھرانے کی تصدیق نہ کر سکا؛ ضلعی دفتر وضاحت کرے گا۔</translation>
    </message>
    <message>
        <source>This cannot be done (%1).</source>
        <translation>یہ نہیں ہو سکتا (%1)۔</translation>
    </message>
    <message>
        <source>This question must be answered.</source>
        <translation>اس سوال کا جواب دینا لازمی ہے۔</translation>
    </message>
    <message>
        <source>This question does not apply; clear the answer.</source>
        <translation>یہ سوال لاگو نہیں ہوتا؛ جواب مٹا دیں۔</translation>
    </message>
    <message>
        <source>This answer has the wrong form.</source>
        <translation>اس جواب کی شکل درست نہیں۔</translation>
    </message>
    <message>
        <source>Choose one of the options.</source>
        <translation>دیے گئے اختیارات میں سے ایک چنیں۔</translation>
    </message>
    <message>
        <source>An option is ticked twice.</source>
        <translation>ایک اختیار دو بار چنا گیا ہے۔</translation>
    </message>
    <message>
        <source>&quot;None&quot; cannot be ticked with another option.</source>
        <translation>‏&quot;کوئی نہیں&quot; کسی دوسرے اختیار کے ساتھ نہیں چنا جا سکتا۔</translation>
    </message>
    <message>
        <source>This answer is too long.</source>
        <translation>یہ جواب بہت لمبا ہے۔</translation>
    </message>
    <message>
        <source>The registration cannot go on without this.</source>
        <translation>اس کے بغیر رجسٹریشن آگے نہیں بڑھ سکتی۔</translation>
    </message>
    <message>
        <source>Type a real date as dd-mm-yyyy.</source>
        <translation>درست تاریخ dd-mm-yyyy کی شکل میں لکھیں۔</translation>
    </message>
    <message>
        <source>The date cannot be in the future.</source>
        <translation>تاریخ آنے والے دنوں کی نہیں ہو سکتی۔</translation>
    </message>
    <message>
        <source>This date is too long ago.</source>
        <translation>یہ تاریخ بہت پرانی ہے۔</translation>
    </message>
    <message>
        <source>The number cannot be negative.</source>
        <translation>عدد منفی نہیں ہو سکتا۔</translation>
    </message>
    <message>
        <source>The number is too small.</source>
        <translation>عدد بہت چھوٹا ہے۔</translation>
    </message>
    <message>
        <source>The number is too large.</source>
        <translation>عدد بہت بڑا ہے۔</translation>
    </message>
    <message>
        <source>The amount is too large; check the number of zeros.</source>
        <translation>رقم بہت زیادہ ہے؛ صفر گن کر دیکھیں۔</translation>
    </message>
    <message>
        <source>Type the full name.</source>
        <translation>پورا نام لکھیں۔</translation>
    </message>
    <message>
        <source>A name has only letters, spaces, dots and hyphens.</source>
        <translation>نام میں صرف حروف، خالی جگہ، نقطے اور ہائفن ہو سکتے ہیں۔</translation>
    </message>
    <message>
        <source>This is not an email address.</source>
        <translation>یہ ای میل پتہ نہیں ہے۔</translation>
    </message>
    <message>
        <source>An IBAN has 24 characters: PK, 2 digits, 4 letters, 16 digits.</source>
        <translation>‏IBAN کے 24 حروف ہوتے ہیں: PK، 2 ہندسے، 4 حروف، 16 ہندسے۔</translation>
    </message>
    <message>
        <source>This IBAN is not possible; check each character.</source>
        <translation>یہ IBAN ممکن نہیں؛ ہر حرف جانچیں۔</translation>
    </message>
    <message>
        <source>An account number has 6 to 20 digits.</source>
        <translation>اکاؤنٹ نمبر میں 6 سے 20 ہندسے ہوتے ہیں۔</translation>
    </message>
    <message>
        <source>Add the family members.</source>
        <translation>خاندان کے افراد شامل کریں۔</translation>
    </message>
    <message>
        <source>Too many family members for one household.</source>
        <translation>ایک گھرانے کے لیے افراد بہت زیادہ ہیں۔</translation>
    </message>
    <message>
        <source>The head of household must be at least 18 years old.</source>
        <translation>سربراہ خانہ کی عمر کم از کم 18 سال ہونی چاہیے۔</translation>
    </message>
    <message>
        <source>The gender does not match the CNIC&apos;s last digit.</source>
        <translation>جنس شناختی کارڈ کے آخری ہندسے سے مطابقت نہیں رکھتی۔</translation>
    </message>
    <message>
        <source>This CNIC or B-Form number appears twice in the household.</source>
        <translation>یہ شناختی کارڈ یا ب فارم نمبر گھرانے میں دو بار درج ہے۔</translation>
    </message>
    <message>
        <source>A member under 18 is registered with a B-Form.</source>
        <translation>18 سال سے کم عمر فرد ب فارم کے ساتھ درج ہوتا ہے۔</translation>
    </message>
    <message>
        <source>The age does not fit the relation to the head.</source>
        <translation>عمر سربراہ سے رشتے کے مطابق نہیں۔</translation>
    </message>
    <message>
        <source>The relation does not fit the gender.</source>
        <translation>رشتہ جنس کے مطابق نہیں۔</translation>
    </message>
    <message>
        <source>A spouse is listed but the head is not married.</source>
        <translation>شریک حیات درج ہے مگر سربراہ شادی شدہ نہیں۔</translation>
    </message>
    <message>
        <source>This district is not in the division chosen.</source>
        <translation>یہ ضلع چنے گئے ڈویژن میں نہیں ہے۔</translation>
    </message>
    <message>
        <source>This tehsil is not in the district chosen.</source>
        <translation>یہ تحصیل چنے گئے ضلع میں نہیں ہے۔</translation>
    </message>
    <message>
        <source>Type the 13-digit number.</source>
        <translation>13 ہندسوں والا نمبر لکھیں۔</translation>
    </message>
    <message>
        <source>A CNIC has only digits.</source>
        <translation>شناختی کارڈ نمبر میں صرف ہندسے ہوتے ہیں۔</translation>
    </message>
    <message>
        <source>A CNIC or B-Form number has 13 digits.</source>
        <translation>شناختی کارڈ یا ب فارم نمبر میں 13 ہندسے ہوتے ہیں۔</translation>
    </message>
    <message>
        <source>No CNIC starts with this digit; check the first digit.</source>
        <translation>کوئی شناختی کارڈ اس ہندسے سے شروع نہیں ہوتا؛ پہلا ہندسہ جانچیں۔</translation>
    </message>
    <message>
        <source>This CNIC number is not possible; check the last digit.</source>
        <translation>یہ شناختی کارڈ نمبر ممکن نہیں؛ آخری ہندسہ جانچیں۔</translation>
    </message>
    <message>
        <source>Type the mobile number.</source>
        <translation>موبائل نمبر لکھیں۔</translation>
    </message>
    <message>
        <source>A mobile number has only digits.</source>
        <translation>موبائل نمبر میں صرف ہندسے ہوتے ہیں۔</translation>
    </message>
    <message>
        <source>This is not a Pakistani number.</source>
        <translation>یہ پاکستانی نمبر نہیں ہے۔</translation>
    </message>
    <message>
        <source>A mobile number has 11 digits (03xx-xxxxxxx).</source>
        <translation>موبائل نمبر میں 11 ہندسے ہوتے ہیں (03xx-xxxxxxx)۔</translation>
    </message>
    <message>
        <source>This is not a mobile number; it must start with 03.</source>
        <translation>یہ موبائل نمبر نہیں؛ اسے 03 سے شروع ہونا چاہیے۔</translation>
    </message>
    <message>
        <source>No network uses this prefix; check the number.</source>
        <translation>کوئی نیٹ ورک یہ ابتدائی ہندسے استعمال نہیں کرتا؛ نمبر جانچیں۔</translation>
    </message>
    <message>
        <source>Type the whole amount in digits, e.g. 25000 (not 25k).</source>
        <translation>پوری رقم ہندسوں میں لکھیں، مثلاً 25000 (25k نہیں)۔</translation>
    </message>
    <message>
        <source>Type the amount in digits, e.g. 20000.</source>
        <translation>رقم ہندسوں میں لکھیں، مثلاً 20000۔</translation>
    </message>
    <message>
        <source>Type a whole number.</source>
        <translation>پورا عدد لکھیں۔</translation>
    </message>
    <message>
        <source>Type digits only.</source>
        <translation>صرف ہندسے لکھیں۔</translation>
    </message>
    <message>
        <source>This number is already in household %1 saved at this centre: check it. If the person has moved, ask the centre manager.</source>
        <translation>یہ نمبر اس مرکز میں محفوظ گھرانہ %1 میں پہلے سے درج ہے: اسے جانچیں۔ اگر یہ فرد منتقل ہو گیا ہے تو مرکز کے منیجر سے پوچھیں۔</translation>
    </message>
    <message>
        <source>This is not a valid CNIC or B-Form number.</source>
        <translation>یہ درست شناختی کارڈ یا ب فارم نمبر نہیں ہے۔</translation>
    </message>
    <message>
        <source>This is not a valid Pakistani mobile number.</source>
        <translation>یہ درست پاکستانی موبائل نمبر نہیں ہے۔</translation>
    </message>
    <message>
        <source>This number is already in another household saved at this centre: check it. If the person has moved, ask the centre manager.</source>
        <translation>یہ نمبر اس مرکز میں محفوظ کسی دوسرے گھرانے میں پہلے سے درج ہے: اسے جانچیں۔ اگر یہ فرد منتقل ہو گیا ہے تو مرکز کے منیجر سے پوچھیں۔</translation>
    </message>
    <message>
        <source>This answer is not accepted (%1).</source>
        <translation>یہ جواب قبول نہیں (%1)۔</translation>
    </message>
</context>
<context>
    <name>OperatorsDialog</name>
    <message>
        <source>Manager</source>
        <translation>مینیجر</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>آپریٹر</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>بند</translation>
    </message>
    <message>
        <source>Locked for a while (wrong passwords)</source>
        <translation>کچھ دیر کے لیے مقفل (غلط پاس ورڈ)</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>فعال</translation>
    </message>
    <message>
        <source>Operator %1 added. They can sign in now.</source>
        <translation>آپریٹر %1 شامل ہو گیا۔ وہ اب سائن ان کر سکتے ہیں۔</translation>
    </message>
    <message>
        <source>Operator %1 is disabled.</source>
        <translation>آپریٹر %1 بند کر دیا گیا۔</translation>
    </message>
    <message>
        <source>Disable operator</source>
        <translation>آپریٹر بند کریں</translation>
    </message>
    <message>
        <source>Disable %1? They cannot sign in until a manager resets their password.</source>
        <translation>‏%1 کو بند کریں؟ جب تک مینیجر ان کا پاس ورڈ نیا نہ کرے وہ سائن ان نہیں کر سکیں گے۔</translation>
    </message>
    <message>
        <source>New password set for %1; the account is active.</source>
        <translation>‏%1 کا نیا پاس ورڈ لگ گیا؛ اکاؤنٹ فعال ہے۔</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>آپریٹر</translation>
    </message>
    <message>
        <source>Operator ID</source>
        <translation>آپریٹر کی شناخت</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>نام</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>کردار</translation>
    </message>
    <message>
        <source>State</source>
        <translation>حالت</translation>
    </message>
    <message>
        <source>Add an operator</source>
        <translation>آپریٹر شامل کریں</translation>
    </message>
    <message>
        <source>Password (at least 10 characters)</source>
        <translation>پاس ورڈ (کم از کم 10 حروف)</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>پاس ورڈ دوبارہ لکھیں</translation>
    </message>
    <message>
        <source>&amp;Add operator</source>
        <translation>آپریٹر شامل کریں (&amp;A)</translation>
    </message>
    <message>
        <source>Reset the selected operator&apos;s password</source>
        <translation>منتخب آپریٹر کا پاس ورڈ نیا کریں</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>نیا پاس ورڈ</translation>
    </message>
    <message>
        <source>&amp;Reset password</source>
        <translation>پاس ورڈ نیا کریں (&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Disable the selected operator</source>
        <translation>منتخب آپریٹر بند کریں (&amp;D)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>بند کریں</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>No printer is set up on this PC: the centre manager chooses one in Settings.</source>
        <translation>اس کمپیوٹر پر کوئی پرنٹر مقرر نہیں: مرکز کا منیجر ترتیبات میں پرنٹر چنے۔</translation>
    </message>
    <message>
        <source>The printer %1 was not found: check that it is switched on and connected.</source>
        <translation>پرنٹر %1 نہیں ملا: دیکھیں کہ وہ چالو ہے اور جڑا ہوا ہے۔</translation>
    </message>
    <message>
        <source>The printer could not be started: it may be busy or offline.</source>
        <translation>پرنٹر شروع نہیں ہو سکا: شاید مصروف ہے یا بند ہے۔</translation>
    </message>
    <message>
        <source>The printer stopped after a page: check it, then print again.</source>
        <translation>پرنٹر ایک صفحے کے بعد رک گیا: اسے دیکھیں، پھر دوبارہ پرنٹ کریں۔</translation>
    </message>
    <message>
        <source>The printer reported an error: check the paper, then print again.</source>
        <translation>پرنٹر نے خرابی بتائی: کاغذ دیکھیں، پھر دوبارہ پرنٹ کریں۔</translation>
    </message>
    <message>
        <source>The document to print is damaged: make it again.</source>
        <translation>پرنٹ ہونے والی دستاویز خراب ہے: اسے دوبارہ بنائیں۔</translation>
    </message>
    <message>
        <source>The printer did not print.</source>
        <translation>پرنٹر نے پرنٹ نہیں کیا۔</translation>
    </message>
</context>
<context>
    <name>RecordLists</name>
    <message>
        <source>&amp;Dashboard</source>
        <translation>ڈیش بورڈ (&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Refresh (F5)</source>
        <translation>تازہ کریں (F5) (&amp;R)</translation>
    </message>
</context>
<context>
    <name>RecordTexts</name>
    <message>
        <source>Waiting to send</source>
        <translation>بھیجے جانے کے انتظار میں</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>بھیجا جا رہا ہے</translation>
    </message>
    <message>
        <source>Received by central</source>
        <translation>مرکزی نظام کو موصول</translation>
    </message>
    <message>
        <source>Returned: correct it</source>
        <translation>واپس آیا: درست کریں</translation>
    </message>
    <message>
        <source>Already registered</source>
        <translation>پہلے سے درج</translation>
    </message>
    <message>
        <source>Failed: call the manager</source>
        <translation>ناکام: منیجر کو بلائیں</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>مسودہ</translation>
    </message>
    <message>
        <source>Central already has this head of household (receipt %1): tell the citizen.</source>
        <translation>مرکزی نظام میں یہ سربراہ خانہ پہلے سے درج ہے (رسید %1): شہری کو بتائیں۔</translation>
    </message>
    <message>
        <source>Central already has this head of household: tell the citizen.</source>
        <translation>مرکزی نظام میں یہ سربراہ خانہ پہلے سے درج ہے: شہری کو بتائیں۔</translation>
    </message>
    <message>
        <source>Central cannot read this record: call the centre manager.</source>
        <translation>مرکزی نظام یہ ریکارڈ نہیں پڑھ سکتا: مرکز کے منیجر کو بلائیں۔</translation>
    </message>
    <message>
        <source>Central holds another version of this record: call the centre manager.</source>
        <translation>مرکزی نظام کے پاس اس ریکارڈ کا دوسرا نسخہ ہے: مرکز کے منیجر کو بلائیں۔</translation>
    </message>
    <message>
        <source>The record is too large for central: call the centre manager.</source>
        <translation>ریکارڈ مرکزی نظام کے لیے بہت بڑا ہے: مرکز کے منیجر کو بلائیں۔</translation>
    </message>
    <message>
        <source>Central refused this record: call the centre manager.</source>
        <translation>مرکزی نظام نے یہ ریکارڈ مسترد کیا: مرکز کے منیجر کو بلائیں۔</translation>
    </message>
    <message>
        <source>Member %1</source>
        <translation>فرد %1</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <source>Receipt number</source>
        <translation>رسید نمبر</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>محفوظ کیا گیا</translation>
    </message>
    <message>
        <source>State</source>
        <translation>حالت</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>آپریٹر</translation>
    </message>
    <message>
        <source>Tracking id</source>
        <translation>ٹریکنگ آئی ڈی</translation>
    </message>
    <message>
        <source>Central&apos;s message</source>
        <translation>مرکز کا پیغام</translation>
    </message>
    <message>
        <source>Verified by central</source>
        <translation>مرکز نے تصدیق کر دی</translation>
    </message>
    <message>
        <source>Rejected by central (dealt with)</source>
        <translation>مرکز نے مسترد کیا (نمٹا دیا گیا)</translation>
    </message>
    <message>
        <source>Rejected by central</source>
        <translation>مرکز نے مسترد کیا</translation>
    </message>
    <message>
        <source>Personal data removed after verification (safe at central)</source>
        <translation>تصدیق کے بعد ذاتی ڈیٹا ہٹا دیا گیا (مرکز میں محفوظ)</translation>
    </message>
    <message>
        <source>Saved records</source>
        <translation>محفوظ ریکارڈ</translation>
    </message>
    <message>
        <source>Re&amp;print slip (Ctrl+P)</source>
        <translation>رسید دوبارہ پرنٹ کریں (Ctrl+P) (&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Correct (Enter)</source>
        <translation>درست کریں (Enter) (&amp;C)</translation>
    </message>
</context>
<context>
    <name>RegistrationPage</name>
    <message>
        <source>This record was started with form version %1, which is not on this PC. The record is kept as it was. Ask the manager to fetch the form updates (&quot;pser-desk forms update&quot;), then open the record again.</source>
        <translation>یہ ریکارڈ فارم کے ورژن %1 پر شروع ہوا تھا، جو اس کمپیوٹر پر موجود نہیں۔ ریکارڈ جوں کا توں محفوظ ہے۔ مینیجر سے کہیں کہ فارم کی تازہ کاری حاصل کریں (&quot;pser-desk forms update&quot;)، پھر ریکارڈ دوبارہ کھولیں۔</translation>
    </message>
    <message>
        <source>This record was started with form version %1, which this version of PSER Desk cannot show. The record is kept as it was. Ask the manager to update PSER Desk, then open the record again.</source>
        <translation>یہ ریکارڈ فارم کے ورژن %1 پر شروع ہوا تھا، جسے PSER Desk کا یہ ورژن نہیں دکھا سکتا۔ ریکارڈ جوں کا توں محفوظ ہے۔ مینیجر سے کہیں کہ PSER Desk کو اپ ڈیٹ کریں، پھر ریکارڈ دوبارہ کھولیں۔</translation>
    </message>
    <message>
        <source>Central returned this record: %1. Correct it and save again.</source>
        <translation>مرکزی نظام نے یہ ریکارڈ واپس کیا: %1۔ اسے درست کر کے دوبارہ محفوظ کریں۔</translation>
    </message>
    <message>
        <source>Draft saved.</source>
        <translation>مسودہ محفوظ ہو گیا۔</translation>
    </message>
    <message>
        <source>Saved and queued. Receipt number %1. Ready for the next citizen.</source>
        <translation>محفوظ ہو کر قطار میں شامل۔ رسید نمبر %1۔ اگلے شہری کے لیے تیار۔</translation>
    </message>
    <message>
        <source>Card read. Check the fields marked as filled from the card.</source>
        <translation>کارڈ پڑھ لیا گیا۔ کارڈ سے بھرے گئے خانے جانچ لیں۔</translation>
    </message>
</context>
<context>
    <name>RegistrationWizard</name>
    <message>
        <source>&amp;Back</source>
        <translation>پیچھے (&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>آگے (&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Save and queue</source>
        <translation>محفوظ کریں اور قطار میں ڈالیں (&amp;S)</translation>
    </message>
</context>
<context>
    <name>RejectionActions</name>
    <message>
        <source>Mark dealt with</source>
        <translation>نمٹا ہوا نشان لگائیں</translation>
    </message>
    <message>
        <source>Mark this rejected household as dealt with? It leaves the dashboard.</source>
        <translation>اس مسترد گھرانے کو نمٹا ہوا نشان لگائیں؟ یہ ڈیش بورڈ سے ہٹ جائے گا۔</translation>
    </message>
</context>
<context>
    <name>RejectionsPanel</name>
    <message>
        <source>Receipt number</source>
        <translation>رسید نمبر</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>فیصلہ</translation>
    </message>
    <message>
        <source>Central&apos;s reason</source>
        <translation>مرکز کی وجہ</translation>
    </message>
    <message>
        <source>Households central rejected</source>
        <translation>گھرانے جو مرکز نے مسترد کیے</translation>
    </message>
    <message>
        <source>Re&amp;gister again</source>
        <translation>دوبارہ رجسٹر کریں (&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Mark dealt with</source>
        <translation>نمٹا ہوا نشان لگائیں (&amp;M)</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Preparing the report...</source>
        <translation>رپورٹ تیار ہو رہی ہے...</translation>
    </message>
    <message>
        <source>Report ready: %1 registrations queued, %2 acknowledged by central.</source>
        <translation>رپورٹ تیار: %1 رجسٹریشن قطار میں، %2 کی مرکز نے تصدیق کی۔</translation>
    </message>
    <message>
        <source>Printing...</source>
        <translation>پرنٹ ہو رہا ہے...</translation>
    </message>
    <message>
        <source>Sent to the printer %1.</source>
        <translation>پرنٹر %1 کو بھیج دی گئی۔</translation>
    </message>
    <message>
        <source>The report was not printed. %1 Or save it as a PDF.</source>
        <translation>رپورٹ پرنٹ نہیں ہوئی۔ %1 یا اسے PDF کے طور پر محفوظ کریں۔</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>‏PDF فائلیں (*.pdf)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>‏CSV فائلیں (*.csv)</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>رپورٹ محفوظ کریں</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>‏%1 میں محفوظ ہو گئی۔</translation>
    </message>
    <message>
        <source>Daily report</source>
        <translation>روزانہ رپورٹ</translation>
    </message>
    <message>
        <source>&amp;Period</source>
        <translation>مدت (&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Date</source>
        <translation>تاریخ (&amp;D)</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>دن</translation>
    </message>
    <message>
        <source>Week (Monday to Sunday)</source>
        <translation>ہفتہ (پیر سے اتوار)</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>مہینہ</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>دکھائیں (&amp;S)</translation>
    </message>
    <message>
        <source>P&amp;rint</source>
        <translation>پرنٹ کریں (&amp;R)</translation>
    </message>
    <message>
        <source>Save PD&amp;F...</source>
        <translation>محفوظ کریں بطور PDF... (&amp;F)</translation>
    </message>
    <message>
        <source>Save &amp;CSV...</source>
        <translation>‏CSV محفوظ کریں... (&amp;C)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>بند کریں</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Member %1</source>
        <translation>فرد %1</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>جائزہ</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) to correct before saving. Press Enter on one to go to it.</source>
        <translation>
            <numerusform>محفوظ کرنے سے پہلے %n غلطی درست کریں۔ اس پر جانے کے لیے Enter دبائیں۔</numerusform>
            <numerusform>محفوظ کرنے سے پہلے %n غلطیاں درست کریں۔ کسی پر جانے کے لیے Enter دبائیں۔</numerusform>
        </translation>
    </message>
    <message>
        <source>No problems found. Check the answers with the citizen, then press Enter to save.</source>
        <translation>کوئی غلطی نہیں ملی۔ شہری کے ساتھ جوابات جانچیں، پھر محفوظ کرنے کے لیے Enter دبائیں۔</translation>
    </message>
</context>
<context>
    <name>ScanController</name>
    <message>
        <source>The scanner read a code without a CNIC number. Scan the card&apos;s barcode.</source>
        <translation>اسکینر نے ایسا کوڈ پڑھا جس میں شناختی کارڈ نمبر نہیں۔ کارڈ کا بارکوڈ اسکین کریں۔</translation>
    </message>
    <message>
        <source>&amp;Scan CNIC...</source>
        <translation>شناختی کارڈ اسکین کریں... (&amp;S)</translation>
    </message>
    <message>
        <source>Read the CNIC from the card with the camera (F3)</source>
        <translation>کیمرے سے کارڈ کا شناختی نمبر پڑھیں (F3)</translation>
    </message>
</context>
<context>
    <name>ScanDialog</name>
    <message>
        <source>Starting the camera...</source>
        <translation>کیمرا شروع ہو رہا ہے...</translation>
    </message>
    <message>
        <source>Hold the card&apos;s barcode in front of the camera.</source>
        <translation>کارڈ کا بارکوڈ کیمرے کے سامنے رکھیں۔</translation>
    </message>
    <message>
        <source>Move the card closer to the camera.</source>
        <translation>کارڈ کو کیمرے کے قریب لائیں۔</translation>
    </message>
    <message>
        <source>This barcode holds no CNIC number. Show the barcode on the back of the card.</source>
        <translation>اس بارکوڈ میں شناختی کارڈ نمبر نہیں۔ کارڈ کی پشت والا بارکوڈ دکھائیں۔</translation>
    </message>
    <message>
        <source>Two different numbers are in view. Show one card only.</source>
        <translation>دو مختلف نمبر نظر آ رہے ہیں۔ صرف ایک کارڈ دکھائیں۔</translation>
    </message>
    <message>
        <source>Hold the card still...</source>
        <translation>کارڈ کو ساکن رکھیں...</translation>
    </message>
    <message>
        <source>Number read. Press Enter to use it, or check it first.</source>
        <translation>نمبر پڑھ لیا گیا۔ استعمال کے لیے Enter دبائیں، یا پہلے اسے جانچ لیں۔</translation>
    </message>
    <message>
        <source>No camera found. Check the camera&apos;s cable, or choose another camera in Manager &gt; Settings. You can type the number instead.</source>
        <translation>کوئی کیمرا نہیں ملا۔ کیمرے کی تار دیکھیں، یا مینیجر &gt; ترتیبات میں دوسرا کیمرا چنیں۔ آپ نمبر ٹائپ بھی کر سکتے ہیں۔</translation>
    </message>
    <message>
        <source>The camera stopped. Check its cable, then open the scan again (F3).</source>
        <translation>کیمرا رک گیا۔ اس کی تار دیکھیں، پھر دوبارہ اسکین کھولیں (F3)۔</translation>
    </message>
    <message>
        <source>Scan CNIC</source>
        <translation>شناختی کارڈ اسکین</translation>
    </message>
    <message>
        <source>&amp;Use this number</source>
        <translation>یہ نمبر استعمال کریں (&amp;U)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>منسوخ</translation>
    </message>
    <message>
        <source>No number yet</source>
        <translation>ابھی کوئی نمبر نہیں</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>A4 sheet</source>
        <translation>اے 4 کاغذ</translation>
    </message>
    <message>
        <source>80 mm receipt roll</source>
        <translation>80 ملی میٹر رسید رول</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>ترتیبات</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>زبان (&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Lock after idle minutes</source>
        <translation>اتنے منٹ خاموشی کے بعد لاک (&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Paper</source>
        <translation>کاغذ (&amp;P)</translation>
    </message>
    <message>
        <source>P&amp;rinter</source>
        <translation>پرنٹر (&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Camera</source>
        <translation>کیمرا (&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>منسوخ (&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>محفوظ کریں (&amp;S)</translation>
    </message>
</context>
<context>
    <name>SlipPreviewDialog</name>
    <message>
        <source>Slip %1</source>
        <translation>رسید %1</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>پرنٹ… (&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>پی ڈی ایف کے طور پر محفوظ کریں… (&amp;S)</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>بند کریں (&amp;L)</translation>
    </message>
    <message>
        <source>Printing...</source>
        <translation>پرنٹ ہو رہا ہے...</translation>
    </message>
    <message>
        <source>Save the slip</source>
        <translation>رسید محفوظ کریں</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>محفوظ ہو گئی۔</translation>
    </message>
    <message>
        <source>The slip was not saved there: choose another folder.</source>
        <translation>رسید وہاں محفوظ نہیں ہوئی: کوئی اور فولڈر چنیں۔</translation>
    </message>
</context>
<context>
    <name>SlipPrinter</name>
    <message>
        <source>The slip was printed.</source>
        <translation>رسید پرنٹ ہو گئی۔</translation>
    </message>
    <message>
        <source>The slip did not print. %1 The record is saved and queued: reprint the slip from the records list (F8, then Ctrl+P).</source>
        <translation>رسید پرنٹ نہیں ہوئی۔ %1 ریکارڈ محفوظ ہو کر قطار میں ہے: ریکارڈ کی فہرست سے رسید دوبارہ پرنٹ کریں (F8، پھر Ctrl+P)۔</translation>
    </message>
    <message>
        <source>The slip could not be made (%1). The record is saved and queued; reprint the slip from the records list.</source>
        <translation>رسید نہیں بن سکی (%1)۔ ریکارڈ محفوظ اور قطار میں ہے؛ ریکارڈ کی فہرست سے رسید دوبارہ پرنٹ کریں۔</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>The database on this PC is damaged. Nothing was changed and no new database was made. Ask the centre manager to restore the latest backup:</source>
        <translation>اس کمپیوٹر کا ڈیٹا بیس خراب ہے۔ کچھ بھی تبدیل نہیں کیا گیا اور کوئی نیا ڈیٹا بیس نہیں بنایا گیا۔ سینٹر مینیجر سے تازہ ترین بیک اپ بحال کروائیں:</translation>
    </message>
    <message>
        <source>PSER Desk cannot open its database. Nothing was changed. Ask the centre manager; this is what to do:</source>
        <translation>‏PSER Desk اپنا ڈیٹا بیس نہیں کھول سکتا۔ کچھ بھی تبدیل نہیں کیا گیا۔ سینٹر مینیجر سے رابطہ کریں؛ یہ کرنا ہے:</translation>
    </message>
    <message>
        <source>PSER Desk could not start. Nothing was lost. Start it again; if this happens again, give the log file to the centre manager:</source>
        <translation>‏PSER Desk شروع نہیں ہو سکا۔ کچھ ضائع نہیں ہوا۔ اسے دوبارہ شروع کریں؛ اگر پھر ایسا ہو تو لاگ فائل سینٹر مینیجر کو دیں:</translation>
    </message>
    <message>
        <source>PSER Desk cannot start</source>
        <translation>‏PSER Desk شروع نہیں ہو سکتا</translation>
    </message>
    <message>
        <source>PSER Desk is already open</source>
        <translation>‏PSER Desk پہلے سے کھلا ہے</translation>
    </message>
    <message>
        <source>PSER Desk is already open on this PC. Use the window that is open: look for it in the taskbar.</source>
        <translation>‏PSER Desk اس کمپیوٹر پر پہلے سے کھلا ہے۔ وہی کھلی ہوئی ونڈو استعمال کریں: اسے ٹاسک بار میں دیکھیں۔</translation>
    </message>
</context>
<context>
    <name>UpdateControls</name>
    <message>
        <source>Central requires a newer PSER Desk.</source>
        <translation>مرکزی نظام کو پی ایس ای آر ڈیسک کا نیا ورژن درکار ہے۔</translation>
    </message>
    <message>
        <source>Checking for updates...</source>
        <translation>اپ ڈیٹ تلاش کی جا رہی ہے...</translation>
    </message>
    <message>
        <source>Downloading update %1: %2%</source>
        <translation>اپ ڈیٹ %1 ڈاؤن لوڈ ہو رہی ہے: %2%</translation>
    </message>
    <message>
        <source>Update %1 is ready: it installs when PSER Desk closes.</source>
        <translation>اپ ڈیٹ %1 تیار ہے: پی ایس ای آر ڈیسک بند ہونے پر انسٹال ہو گی۔</translation>
    </message>
    <message>
        <source>Installing update %1...</source>
        <translation>اپ ڈیٹ %1 انسٹال ہو رہی ہے...</translation>
    </message>
    <message>
        <source>Update refused (see the audit log): %1</source>
        <translation>اپ ڈیٹ مسترد کر دی گئی (آڈٹ لاگ دیکھیں): %1</translation>
    </message>
    <message>
        <source>The update failed; this version keeps working: %1</source>
        <translation>اپ ڈیٹ ناکام رہی؛ یہی ورژن کام کرتا رہے گا: %1</translation>
    </message>
    <message>
        <source>PSER Desk %1 is the newest version.</source>
        <translation>تازہ ترین ورژن پی ایس ای آر ڈیسک %1 ہی ہے۔</translation>
    </message>
    <message>
        <source>The update server cannot be reached now; PSER Desk checks again later.</source>
        <translation>اپ ڈیٹ سرور سے ابھی رابطہ نہیں ہو سکا؛ پی ایس ای آر ڈیسک بعد میں دوبارہ دیکھے گا۔</translation>
    </message>
    <message>
        <source>This PSER Desk cannot update itself: %1</source>
        <translation>یہ پی ایس ای آر ڈیسک خود کو اپ ڈیٹ نہیں کر سکتا: %1</translation>
    </message>
    <message>
        <source>Updates</source>
        <translation>اپ ڈیٹس</translation>
    </message>
    <message>
        <source>A household is open. Save it or go back to the dashboard, then install the update.</source>
        <translation>ایک گھرانہ کھلا ہے۔ اسے محفوظ کریں یا ڈیش بورڈ پر واپس جائیں، پھر اپ ڈیٹ انسٹال کریں۔</translation>
    </message>
    <message>
        <source>Install PSER Desk %1 now? The desk closes, installs it and opens again.</source>
        <translation>کیا پی ایس ای آر ڈیسک %1 ابھی انسٹال کیا جائے؟ ڈیسک بند ہو گا، اسے انسٹال کرے گا اور دوبارہ کھلے گا۔</translation>
    </message>
    <message>
        <source>Check for &amp;updates</source>
        <translation>اپ ڈیٹ تلاش کریں (&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Install the update and restart</source>
        <translation>اپ ڈیٹ انسٹال کر کے دوبارہ کھولیں (&amp;I)</translation>
    </message>
</context>
</TS>
