<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <location filename="../../twin_app/qt/about.py" line="17" />
        <source>Flood-control digital twin</source>
        <translation>防汛数字孪生</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/about.py" line="19" />
        <source>A desktop digital twin of Shanghai's flood-control works: BIM models on a terrain base at their true map position, live monitoring, warnings and rehearsals.</source>
        <translation>上海防汛工程桌面数字孪生：在真实地理位置的地形底板上展示 BIM 模型，接入实时监测，提供预警与预演。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/about.py" line="24" />
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/about.py" line="25" />
        <source>Published facts about the works (location, sluice width, sill level, warning levels) come from public sources. Terrain, structure dimensions that are not published, sensor layouts and recorded events are illustrative, not survey or design data.</source>
        <translation>工程的公开信息（位置、闸孔总净宽、闸底板高程、警戒水位）来自公开资料。地形、未公开的结构尺寸、测点布置和历史事件均为示意数据，并非测量或设计数据。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/about.py" line="41" />
        <source>Heights</source>
        <translation>高程</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/about.py" line="52" />
        <source>About</source>
        <translation>关于</translation>
    </message>
</context>
<context>
    <name>AlarmDock</name>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="77" />
        <source>Alarms</source>
        <translation>报警</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="79" />
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="79" />
        <source>Sensor</source>
        <translation>测点</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="79" />
        <location filename="../../twin_app/qt/alarm_dock.py" line="112" />
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="79" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="80" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="80" />
        <source>Raised (Beijing time)</source>
        <translation>发生时间（北京时间）</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="81" />
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="82" />
        <source>Shelve 1 h</source>
        <translation>搁置 1 小时</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="105" />
        <source>Unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="106" />
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="107" />
        <source>Cleared, unacknowledged</source>
        <translation>已恢复，未确认</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="108" />
        <source>Shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="112" />
        <source>Advisory</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="112" />
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/alarm_dock.py" line="113" />
        <source>Critical</source>
        <translation>紧急</translation>
    </message>
</context>
<context>
    <name>BimToolBar</name>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="70" />
        <source>BIM tools</source>
        <translation>BIM 工具</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="71" />
        <source>Section plane</source>
        <translation>剖切面</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="72" />
        <source>Cut models and terrain with a plane you can drag</source>
        <translation>用可拖动的平面剖切模型和地形</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="73" />
        <source>Section box</source>
        <translation>剖切盒</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="74" />
        <source>Keep only what lies inside a box you can resize</source>
        <translation>只显示可调整大小的盒子内的部分</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="75" />
        <source>Measure</source>
        <translation>测量</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="77" />
        <source>Click two points: distance, rise and elevations in the scene datum</source>
        <translation>点击两点：距离、高差及场景高程基准下的高程</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="78" />
        <location filename="../../twin_app/qt/bim_toolbar.py" line="205" />
        <source>Show all</source>
        <translation>全部显示</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="79" />
        <source>Show hidden and X-rayed elements again</source>
        <translation>重新显示已隐藏和透视的构件</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="193" />
        <source>Fly to</source>
        <translation>飞至</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="194" />
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="195" />
        <source>Isolate</source>
        <translation>单独显示</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="196" />
        <source>X-ray</source>
        <translation>透视</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="198" />
        <source>Hide all {ifc_class}</source>
        <translation>隐藏全部 {ifc_class}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="200" />
        <source>Isolate all {ifc_class}</source>
        <translation>单独显示全部 {ifc_class}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/bim_toolbar.py" line="202" />
        <source>X-ray all {ifc_class}</source>
        <translation>透视全部 {ifc_class}</translation>
    </message>
</context>
<context>
    <name>ChartDock</name>
    <message>
        <location filename="../../twin_app/qt/chart.py" line="46" />
        <source>Chart</source>
        <translation>曲线</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/chart.py" line="92" />
        <source>Select a sensor (in the scene tree or the 3D view) to chart it</source>
        <translation>在场景树或三维视图中选择一个测点以显示其曲线</translation>
    </message>
</context>
<context>
    <name>FeedStatusDock</name>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="36" />
        <source>Feeds</source>
        <translation>数据接入</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="38" />
        <source>Feed</source>
        <translation>数据源</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="38" />
        <source>Connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="38" />
        <source>Last message</source>
        <translation>最近消息</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="38" />
        <source>Readings</source>
        <translation>读数</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="39" />
        <source>Rejected</source>
        <translation>拒收</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="39" />
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="55" />
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/feed_dock.py" line="55" />
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>LayerTreeDock</name>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="79" />
        <source>Scene</source>
        <translation>场景</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="80" />
        <source>Search name, IFC class or GlobalId</source>
        <translation>搜索名称、IFC 类或 GlobalId</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="223" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="224" />
        <source>&amp;Open scene…</source>
        <translation>打开场景(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="225" />
        <source>Open scene &amp;folder…</source>
        <translation>打开场景文件夹(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="226" />
        <source>&amp;Recent scenes</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="227" />
        <source>Save &amp;screenshot…</source>
        <translation>保存截图(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="228" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="229" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="230" />
        <source>&amp;Viewpoints</source>
        <translation>视点(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="231" />
        <source>&amp;Reset view</source>
        <translation>重置视图(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="232" />
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="233" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="234" />
        <source>&amp;Monitoring</source>
        <translation>监测(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="235" />
        <source>&amp;Replay recorded event</source>
        <translation>回放历史事件(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="236" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="237" />
        <source>&amp;About…</source>
        <translation>关于(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="238" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="272" />
        <location filename="../../twin_app/qt/main_window.py" line="491" />
        <source>Flood-control digital twin</source>
        <translation>防汛数字孪生</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="281" />
        <source>Heights: {datum}</source>
        <translation>高程基准：{datum}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="299" />
        <source>Loading {scene}…</source>
        <translation>正在加载 {scene}…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="328" />
        <source>Scene not opened: {reason}</source>
        <translation>场景未能打开：{reason}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="329" />
        <source>The scene could not be opened.</source>
        <translation>无法打开该场景。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="334" />
        <source>Loading cancelled</source>
        <translation>已取消加载</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="374" />
        <source>Opened {scene}</source>
        <translation>已打开 {scene}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="442" />
        <source>No such recorded event.</source>
        <translation>没有这个历史事件。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="454" />
        <source>The event could not be read.</source>
        <translation>无法读取该事件。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="460" />
        <source>Replaying {event} at {speed}x</source>
        <translation>正在以 {speed} 倍速回放 {event}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="475" />
        <source>Live readings will not be stored.</source>
        <translation>实时读数将不会被保存。</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="531" />
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="534" />
        <source>Save screenshot</source>
        <translation>保存截图</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="541" />
        <source>Open scene</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="541" />
        <source>Scene:</source>
        <translation>场景：</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/main_window.py" line="547" />
        <source>Open scene folder</source>
        <translation>打开场景文件夹</translation>
    </message>
</context>
<context>
    <name>PropertiesDock</name>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="271" />
        <source>Properties</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="272" />
        <source>Property</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="272" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="290" />
        <source>IFC class</source>
        <translation>IFC 类</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="290" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="291" />
        <location filename="../../twin_app/qt/docks.py" line="318" />
        <location filename="../../twin_app/qt/docks.py" line="320" />
        <location filename="../../twin_app/qt/docks.py" line="323" />
        <source>Property sets</source>
        <translation>属性集</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="291" />
        <source>reading…</source>
        <translation>读取中…</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="320" />
        <source>cannot be read: {error}</source>
        <translation>无法读取：{error}</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/docks.py" line="323" />
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>TimeBar</name>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="52" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="53" />
        <location filename="../../twin_app/qt/timebar.py" line="77" />
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="54" />
        <source>Follow the current time</source>
        <translation>跟随当前时间</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="55" />
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="56" />
        <source>Play the history at the chosen speed</source>
        <translation>按所选速度回放历史数据</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="57" />
        <source>Playback speed</source>
        <translation>回放速度</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="77" />
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../../twin_app/qt/timebar.py" line="78" />
        <source>Beijing time</source>
        <translation>北京时间</translation>
    </message>
</context>
</TS>
